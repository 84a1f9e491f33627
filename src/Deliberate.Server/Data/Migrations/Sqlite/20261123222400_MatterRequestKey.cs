using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliberate.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MatterRequestKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RequestKey",
                table: "Matters",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Matters_RaisedById_RequestKey",
                table: "Matters",
                columns: new[] { "RaisedById", "RequestKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Matters_RaisedById_RequestKey",
                table: "Matters");

            migrationBuilder.DropColumn(
                name: "RequestKey",
                table: "Matters");
        }
    }
}
