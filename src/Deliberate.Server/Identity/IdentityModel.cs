using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Identity;

static class IdentityModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<User>(e =>
        {
            e.ToTable("Users");
            e.Property(x => x.UserName).HasMaxLength(64);
            e.Property(x => x.DisplayName).HasMaxLength(100);
            e.Property(x => x.Email).HasMaxLength(200);
            e.Property(x => x.Phone).HasMaxLength(20);
            e.Property(x => x.PasswordHash).HasMaxLength(200);
            e.Property(x => x.SecurityStamp).HasMaxLength(32);
            e.HasIndex(x => x.UserName).IsUnique();
            e.HasIndex(x => x.OwnerId).IsUnique(); // one account per owner on the register (verification races: one wins)
            e.HasMany(x => x.Roles).WithOne().HasForeignKey(x => x.UserId);
        });
        model.Entity<UserSession>(e =>
        {
            e.ToTable("UserSessions");
            e.Property(x => x.Kind).HasMaxLength(10);
            e.HasIndex(x => x.UserId);
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId);
        });
        model.Entity<SignInFailure>(e =>
        {
            e.ToTable("SignInFailures");
            e.HasKey(x => new { x.UserName, x.ClientAddress });
            e.Property(x => x.UserName).HasMaxLength(SignInFailures.MaxNameLength);
            e.Property(x => x.ClientAddress).HasMaxLength(64);
            e.HasIndex(x => x.LastFailureAt);
            e.HasIndex(x => new { x.ClientAddress, x.LastFailureAt }); // the spraying check (SignInFailures.AddressHeldForAsync)
        });
        model.Entity<UserRole>(e =>
        {
            e.ToTable("UserRoles");
            e.HasKey(x => new { x.UserId, x.Role, x.OrgUnitId });
            e.Property(x => x.Role).HasConversion<string>().HasMaxLength(30);
            e.HasOne<Organisation.OrgUnit>().WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
