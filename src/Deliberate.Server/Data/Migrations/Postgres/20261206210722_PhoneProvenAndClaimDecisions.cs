using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliberate.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PhoneProvenAndClaimDecisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PhoneVerifiedAt",
                table: "Users",
                type: "timestamp with time zone",
                nullable: true);

            // Residents who signed up or activated before this: their phone (also their user name) was proven by the code they used.
            // A phone an administrator typed on a staff account has no used sign-up or activation code.
            migrationBuilder.Sql("""
                UPDATE "Users" SET "PhoneVerifiedAt" = (
                    SELECT MAX(c."UsedAt") FROM "PhoneCodes" c
                    WHERE c."Phone" = "Users"."Phone" AND c."Purpose" IN ('SignUp', 'Activate') AND c."UsedAt" IS NOT NULL)
                WHERE "Phone" IS NOT NULL AND "UserName" = "Phone";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PhoneVerifiedAt",
                table: "Users");
        }
    }
}
