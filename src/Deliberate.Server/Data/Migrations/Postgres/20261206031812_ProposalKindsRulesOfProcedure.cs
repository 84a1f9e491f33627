using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliberate.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ProposalKindsRulesOfProcedure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "DeemedCountsTowardParticipation",
                table: "Ballots",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "DeemedCountsTowardThreshold",
                table: "Ballots",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "Ballots",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RulesOfProcedure",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    Text = table.Column<string>(type: "character varying(100000)", maxLength: 100000, nullable: false),
                    BallotId = table.Column<Guid>(type: "uuid", nullable: false),
                    AdoptedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NoticeDays = table.Column<int>(type: "integer", nullable: false),
                    DeemedConsent = table.Column<bool>(type: "boolean", nullable: false),
                    DeemedCountsTowardParticipation = table.Column<bool>(type: "boolean", nullable: false),
                    DeemedCountsTowardThreshold = table.Column<bool>(type: "boolean", nullable: false),
                    MajorRuleKinds = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    RecordedById = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RulesOfProcedure", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RulesOfProcedure_Ballots_BallotId",
                        column: x => x.BallotId,
                        principalTable: "Ballots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RulesOfProcedure_OrgUnits_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RulesOfProcedure_BallotId",
                table: "RulesOfProcedure",
                column: "BallotId");

            migrationBuilder.CreateIndex(
                name: "IX_RulesOfProcedure_CommunityId_RecordedAt",
                table: "RulesOfProcedure",
                columns: new[] { "CommunityId", "RecordedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RulesOfProcedure");

            migrationBuilder.DropColumn(
                name: "DeemedCountsTowardParticipation",
                table: "Ballots");

            migrationBuilder.DropColumn(
                name: "DeemedCountsTowardThreshold",
                table: "Ballots");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "Ballots");
        }
    }
}
