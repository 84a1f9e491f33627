using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliberate.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SignInFailuresByAddress : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_SignInFailures_ClientAddress_LastFailureAt",
                table: "SignInFailures",
                columns: new[] { "ClientAddress", "LastFailureAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SignInFailures_ClientAddress_LastFailureAt",
                table: "SignInFailures");
        }
    }
}
