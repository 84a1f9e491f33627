using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Matters;

static class MattersModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Matter>(e =>
        {
            e.ToTable("Matters");
            e.Property(x => x.Title).HasMaxLength(Matter.MaxTitleLength);
            e.Property(x => x.Description).HasMaxLength(Matter.MaxDescriptionLength);
            e.Property(x => x.Category).HasMaxLength(30);
            e.Property(x => x.Location).HasMaxLength(200);
            e.Property(x => x.ContactPhone).HasMaxLength(30);
            e.Property(x => x.Source).HasMaxLength(20);
            e.Property(x => x.Resolution).HasMaxLength(2000);
            e.Property(x => x.Step).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Triage).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(x => new { x.GridId, x.Step });
            e.HasIndex(x => x.RaisedById);
            e.HasIndex(x => x.RaisedAt);
            e.Property(x => x.RequestKey).HasMaxLength(Api.RequestKeys.MaxLength);
            e.HasIndex(x => new { x.RaisedById, x.RequestKey }).IsUnique(); // NULLs never collide
            e.HasOne<Organisation.OrgUnit>().WithMany().HasForeignKey(x => x.GridId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Identity.User>().WithMany().HasForeignKey(x => x.RaisedById).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
