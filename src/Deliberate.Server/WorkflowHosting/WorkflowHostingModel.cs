using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.WorkflowHosting;

static class WorkflowHostingModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<WorkflowDefinitionRecord>(e =>
        {
            e.ToTable("WorkflowDefinitions");
            e.Property(x => x.DefinitionId).HasMaxLength(100);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.CreatedBy).HasMaxLength(100);
            e.HasIndex(x => new { x.DefinitionId, x.Version }).IsUnique();
        });
        model.Entity<WorkflowInstanceRecord>(e =>
        {
            e.ToTable("WorkflowInstances");
            e.Property(x => x.DefinitionId).HasMaxLength(100);
            e.Property(x => x.CorrelationId).HasMaxLength(100);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.Property(x => x.Scope).HasConversion<string>().HasMaxLength(20);
            e.Ignore(x => x.IsTestRun);
            e.HasIndex(x => x.CorrelationId);
            e.HasIndex(x => new { x.DefinitionId, x.Status });
        });
        model.Entity<BookmarkRecord>(e =>
        {
            e.ToTable("Bookmarks");
            e.Property(x => x.ActivityId).HasMaxLength(100);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Correlation).HasMaxLength(200);
            e.HasIndex(x => new { x.Name, x.Correlation });
            e.HasIndex(x => x.InstanceId);
            e.HasIndex(x => x.DueAt);
            e.HasOne<WorkflowInstanceRecord>().WithMany(x => x.Bookmarks).HasForeignKey(x => x.InstanceId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<JournalRecord>(e =>
        {
            e.ToTable("WorkflowJournal");
            e.HasKey(x => new { x.InstanceId, x.Sequence });
            e.Property(x => x.Event).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.ActivityId).HasMaxLength(100);
            e.Property(x => x.ActivityType).HasMaxLength(100);
            e.Property(x => x.ActivityName).HasMaxLength(200);
            e.Property(x => x.Outcome).HasMaxLength(200);
            e.Property(x => x.ActorId).HasMaxLength(100);
            e.Property(x => x.ActorName).HasMaxLength(100);
            e.HasOne<WorkflowInstanceRecord>().WithMany().HasForeignKey(x => x.InstanceId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
