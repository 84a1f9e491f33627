using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliberate.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ClaimAttemptsPerAccount : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "UserId",
                table: "ClaimAttempts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_ClaimAttempts_UserId_At",
                table: "ClaimAttempts",
                columns: new[] { "UserId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ClaimAttempts_UserId_At",
                table: "ClaimAttempts");

            migrationBuilder.DropColumn(
                name: "UserId",
                table: "ClaimAttempts");
        }
    }
}
