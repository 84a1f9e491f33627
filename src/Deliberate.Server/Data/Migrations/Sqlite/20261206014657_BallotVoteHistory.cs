using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliberate.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BallotVoteHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "BallotVoteHistory",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    BallotId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HeadKey = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    ProxyName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CastById = table.Column<Guid>(type: "TEXT", nullable: false),
                    CastAt = table.Column<long>(type: "INTEGER", nullable: false),
                    OpenChoice = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    ReplacedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BallotVoteHistory", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BallotVoteHistory_Ballots_BallotId",
                        column: x => x.BallotId,
                        principalTable: "Ballots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BallotVoteHistory_BallotId_HeadKey",
                table: "BallotVoteHistory",
                columns: new[] { "BallotId", "HeadKey" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BallotVoteHistory");
        }
    }
}
