using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliberate.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BallotAnnouncementAndOrganiser : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "OrganiserBody",
                table: "Ballots",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OrganiserName",
                table: "Ballots",
                type: "TEXT",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "OrganiserBody",
                table: "Ballots");

            migrationBuilder.DropColumn(
                name: "OrganiserName",
                table: "Ballots");
        }
    }
}
