using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deliberate.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InstanceStartScope : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Scope",
                table: "WorkflowInstances",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "TestRun");

            migrationBuilder.AddColumn<Guid>(
                name: "ScopeMatterId",
                table: "WorkflowInstances",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "StartedById",
                table: "WorkflowInstances",
                type: "uuid",
                nullable: true);

            // Instances from before: those a matter runs on were started for it, by its raiser; any other was started by
            // hand and is taken for a test run (its domain activities now fault instead of acting).
            migrationBuilder.Sql("""
                UPDATE "WorkflowInstances" SET "Scope" = 'Matter',
                    "ScopeMatterId" = (SELECT m."Id" FROM "Matters" m WHERE m."WorkflowInstanceId" = "WorkflowInstances"."Id"),
                    "StartedById" = (SELECT m."RaisedById" FROM "Matters" m WHERE m."WorkflowInstanceId" = "WorkflowInstances"."Id")
                WHERE EXISTS (SELECT 1 FROM "Matters" m WHERE m."WorkflowInstanceId" = "WorkflowInstances"."Id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Scope",
                table: "WorkflowInstances");

            migrationBuilder.DropColumn(
                name: "ScopeMatterId",
                table: "WorkflowInstances");

            migrationBuilder.DropColumn(
                name: "StartedById",
                table: "WorkflowInstances");
        }
    }
}
