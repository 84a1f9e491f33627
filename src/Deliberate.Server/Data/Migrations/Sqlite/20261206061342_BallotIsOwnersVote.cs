using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliberate.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BallotIsOwnersVote : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsOwnersVote",
                table: "Ballots",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // The stored ballots get what BallotCounting.IsOwnersRule(rule, meetingId) said of them at every call site:
            // an Art. 278 rule, or the custom rule outside a meeting. (A comparison is 0/1 on SQLite, boolean on PostgreSQL.)
            migrationBuilder.Sql("""
                UPDATE "Ballots" SET "IsOwnersVote" =
                    ("Rule" IN ('civil-code-278-ordinary', 'civil-code-278-major') OR ("Rule" = 'custom' AND "MeetingId" IS NULL));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IsOwnersVote",
                table: "Ballots");
        }
    }
}
