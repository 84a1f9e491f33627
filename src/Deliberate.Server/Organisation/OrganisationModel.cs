using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Organisation;

static class OrganisationModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<OrgUnit>(e =>
        {
            e.ToTable("OrgUnits");
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Path).HasMaxLength(200);
            e.Property(x => x.Level).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(x => x.Path);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => x.ParentId);
            e.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<PropertyUnit>(e =>
        {
            e.ToTable("PropertyUnits");
            e.Property(x => x.Number).HasMaxLength(30);
            e.Property(x => x.Area).HasPrecision(12, 2);
            e.Property(x => x.Entrance).HasMaxLength(20);
            e.Property(x => x.Room).HasMaxLength(20);
            e.HasIndex(x => new { x.BuildingId, x.Number }).IsUnique();
            e.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.BuildingId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Owners).WithOne().HasForeignKey(x => x.UnitId);
        });
        model.Entity<Owner>(e =>
        {
            e.ToTable("Owners");
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Phone).HasMaxLength(11);
            e.Property(x => x.IdLast4).HasMaxLength(4);
            e.HasIndex(x => new { x.Name, x.Phone });
        });
        model.Entity<Register.RegisterImport>(e =>
        {
            e.ToTable("RegisterImports");
            e.Property(x => x.FileName).HasMaxLength(200);
            e.Property(x => x.Area).HasPrecision(14, 2);
            e.HasIndex(x => new { x.CommunityId, x.Sequence }).IsUnique();
            e.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.CommunityId).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<UnitOwnership>(e =>
        {
            e.ToTable("UnitOwnerships");
            e.HasKey(x => new { x.UnitId, x.OwnerId });
            e.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId);
        });
    }
}
