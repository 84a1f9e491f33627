using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliberate.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SealedBallotBoxes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "OpenChoiceId",
                table: "BallotParticipations");

            migrationBuilder.DropColumn(
                name: "HeadArea",
                table: "BallotChoices");

            migrationBuilder.CreateTable(
                name: "BallotBoxes",
                columns: table => new
                {
                    BallotId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sealed = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BallotBoxes", x => x.BallotId);
                    table.ForeignKey(
                        name: "FK_BallotBoxes_Ballots_BallotId",
                        column: x => x.BallotId,
                        principalTable: "Ballots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BallotBoxes");

            migrationBuilder.AddColumn<Guid>(
                name: "OpenChoiceId",
                table: "BallotParticipations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "HeadArea",
                table: "BallotChoices",
                type: "TEXT",
                precision: 14,
                scale: 2,
                nullable: true);
        }
    }
}
