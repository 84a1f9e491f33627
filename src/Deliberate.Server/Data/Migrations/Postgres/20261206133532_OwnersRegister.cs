using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliberate.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OwnersRegister : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Entrance",
                table: "PropertyUnits",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RetiredAt",
                table: "PropertyUnits",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Room",
                table: "PropertyUnits",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "IdLast4",
                table: "Owners",
                type: "character varying(4)",
                maxLength: 4,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Phone",
                table: "Owners",
                type: "character varying(11)",
                maxLength: 11,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RegisterImports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    Sequence = table.Column<int>(type: "integer", nullable: false),
                    AppliedById = table.Column<Guid>(type: "uuid", nullable: false),
                    AppliedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FileName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Added = table.Column<int>(type: "integer", nullable: false),
                    Changed = table.Column<int>(type: "integer", nullable: false),
                    Removed = table.Column<int>(type: "integer", nullable: false),
                    Units = table.Column<int>(type: "integer", nullable: false),
                    Heads = table.Column<int>(type: "integer", nullable: false),
                    Area = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RegisterImports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RegisterImports_OrgUnits_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Owners_Name_Phone",
                table: "Owners",
                columns: new[] { "Name", "Phone" });

            migrationBuilder.CreateIndex(
                name: "IX_RegisterImports_CommunityId_Sequence",
                table: "RegisterImports",
                columns: new[] { "CommunityId", "Sequence" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RegisterImports");

            migrationBuilder.DropIndex(
                name: "IX_Owners_Name_Phone",
                table: "Owners");

            migrationBuilder.DropColumn(
                name: "Entrance",
                table: "PropertyUnits");

            migrationBuilder.DropColumn(
                name: "RetiredAt",
                table: "PropertyUnits");

            migrationBuilder.DropColumn(
                name: "Room",
                table: "PropertyUnits");

            migrationBuilder.DropColumn(
                name: "IdLast4",
                table: "Owners");

            migrationBuilder.DropColumn(
                name: "Phone",
                table: "Owners");
        }
    }
}
