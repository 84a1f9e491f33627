using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliberate.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BallotProposalAndMotionCost : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "Cost",
                table: "Motions",
                type: "TEXT",
                precision: 14,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Reason",
                table: "Motions",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "MotionId",
                table: "Ballots",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "ProposalCost",
                table: "Ballots",
                type: "TEXT",
                precision: 14,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProposalReason",
                table: "Ballots",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProposalText",
                table: "Ballots",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProposedBy",
                table: "Ballots",
                type: "TEXT",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Cost",
                table: "Motions");

            migrationBuilder.DropColumn(
                name: "Reason",
                table: "Motions");

            migrationBuilder.DropColumn(
                name: "MotionId",
                table: "Ballots");

            migrationBuilder.DropColumn(
                name: "ProposalCost",
                table: "Ballots");

            migrationBuilder.DropColumn(
                name: "ProposalReason",
                table: "Ballots");

            migrationBuilder.DropColumn(
                name: "ProposalText",
                table: "Ballots");

            migrationBuilder.DropColumn(
                name: "ProposedBy",
                table: "Ballots");
        }
    }
}
