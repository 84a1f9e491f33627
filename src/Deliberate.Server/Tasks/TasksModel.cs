using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Tasks;

static class TasksModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<InboxTask>(e =>
        {
            e.ToTable("InboxTasks");
            e.Property(x => x.ActivityId).HasMaxLength(100);
            e.Property(x => x.Title).HasMaxLength(300);
            e.Property(x => x.Role).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Outcome).HasMaxLength(100);
            e.HasIndex(x => new { x.Status, x.Role, x.ScopeId });
            e.HasIndex(x => x.AssigneeId);
            e.HasIndex(x => x.MatterId);
            e.HasIndex(x => x.InstanceId);
        });
    }
}
