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
            migrationBuilder.DropPrimaryKey(
                name: "PK_BallotChoices",
                table: "BallotChoices");

            migrationBuilder.DropIndex(
                name: "IX_BallotChoices_BallotId",
                table: "BallotChoices");

            migrationBuilder.DropColumn(
                name: "OpenChoiceId",
                table: "BallotParticipations");

            migrationBuilder.DropColumn(
                name: "Id",
                table: "BallotChoices");

            migrationBuilder.DropColumn(
                name: "HeadArea",
                table: "BallotChoices");

            migrationBuilder.AddPrimaryKey(
                name: "PK_BallotChoices",
                table: "BallotChoices",
                columns: new[] { "BallotId", "ReceiptHash" });

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

            migrationBuilder.DropPrimaryKey(
                name: "PK_BallotChoices",
                table: "BallotChoices");

            migrationBuilder.AddColumn<Guid>(
                name: "OpenChoiceId",
                table: "BallotParticipations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "Id",
                table: "BallotChoices",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<decimal>(
                name: "HeadArea",
                table: "BallotChoices",
                type: "TEXT",
                precision: 14,
                scale: 2,
                nullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "PK_BallotChoices",
                table: "BallotChoices",
                column: "Id");

            migrationBuilder.CreateIndex(
                name: "IX_BallotChoices_BallotId",
                table: "BallotChoices",
                column: "BallotId");
        }
    }
}
