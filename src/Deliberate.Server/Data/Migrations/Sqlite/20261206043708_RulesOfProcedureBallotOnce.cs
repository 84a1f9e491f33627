using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliberate.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RulesOfProcedureBallotOnce : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RulesOfProcedure_BallotId",
                table: "RulesOfProcedure");

            migrationBuilder.CreateIndex(
                name: "IX_RulesOfProcedure_BallotId",
                table: "RulesOfProcedure",
                column: "BallotId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RulesOfProcedure_BallotId",
                table: "RulesOfProcedure");

            migrationBuilder.CreateIndex(
                name: "IX_RulesOfProcedure_BallotId",
                table: "RulesOfProcedure",
                column: "BallotId");
        }
    }
}
