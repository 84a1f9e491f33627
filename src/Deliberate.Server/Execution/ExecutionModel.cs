using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Execution;

static class ExecutionModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<WorkItem>(e =>
        {
            e.ToTable("WorkItems");
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.Description).HasMaxLength(2000);
            e.Property(x => x.ResponsibleUnit).HasMaxLength(100);
            e.Property(x => x.Level).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Role).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasIndex(x => new { x.Status, x.Role, x.OrgUnitId });
            e.HasIndex(x => x.MatterId);
            e.HasIndex(x => x.MeetingId);
            e.HasIndex(x => x.BatchId);
            e.HasMany(x => x.Updates).WithOne().HasForeignKey(x => x.WorkItemId);
        });
        model.Entity<WorkItemUpdate>(e =>
        {
            e.ToTable("WorkItemUpdates");
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Text).HasMaxLength(4000);
            e.Property(x => x.FromLevel).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.ToLevel).HasConversion<string>().HasMaxLength(20);
        });
    }
}
