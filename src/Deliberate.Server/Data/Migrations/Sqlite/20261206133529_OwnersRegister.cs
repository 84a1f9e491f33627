using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliberate.Server.Data.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "RetiredAt",
                table: "PropertyUnits",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Room",
                table: "PropertyUnits",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "IdLast4",
                table: "Owners",
                type: "TEXT",
                maxLength: 4,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Phone",
                table: "Owners",
                type: "TEXT",
                maxLength: 11,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RegisterImports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    AppliedById = table.Column<Guid>(type: "TEXT", nullable: false),
                    AppliedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Added = table.Column<int>(type: "INTEGER", nullable: false),
                    Changed = table.Column<int>(type: "INTEGER", nullable: false),
                    Removed = table.Column<int>(type: "INTEGER", nullable: false),
                    Units = table.Column<int>(type: "INTEGER", nullable: false),
                    Heads = table.Column<int>(type: "INTEGER", nullable: false),
                    Area = table.Column<decimal>(type: "TEXT", precision: 14, scale: 2, nullable: false)
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
