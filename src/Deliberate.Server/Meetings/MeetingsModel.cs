using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Meetings;

static class MeetingsModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Meeting>(e =>
        {
            e.ToTable("Meetings");
            e.Property(x => x.Type).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Form).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.Place).HasMaxLength(200);
            e.Property(x => x.ChairName).HasMaxLength(100);
            e.Property(x => x.RecorderName).HasMaxLength(100);
            e.Property(x => x.CancelReason).HasMaxLength(500);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasIndex(x => new { x.OrgUnitId, x.StartsAt });
            e.HasOne<Organisation.OrgUnit>().WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Participants).WithOne().HasForeignKey(x => x.MeetingId);
            e.HasMany(x => x.Agenda).WithOne().HasForeignKey(x => x.MeetingId);
            e.HasMany(x => x.Resolutions).WithOne().HasForeignKey(x => x.MeetingId);
        });
        model.Entity<MeetingParticipant>(e =>
        {
            e.ToTable("MeetingParticipants");
            e.Property(x => x.Party).HasMaxLength(30);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Role).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Attendance).HasConversion<string>().HasMaxLength(20);
        });
        model.Entity<AgendaItem>(e =>
        {
            e.ToTable("AgendaItems");
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.Description).HasMaxLength(2000);
            e.HasIndex(x => x.MatterId);
            e.HasMany(x => x.Opinions).WithOne().HasForeignKey(x => x.AgendaItemId);
            e.HasMany(x => x.Motions).WithOne().HasForeignKey(x => x.AgendaItemId);
        });
        model.Entity<PartyOpinion>(e =>
        {
            e.ToTable("PartyOpinions");
            e.Property(x => x.Party).HasMaxLength(30);
            e.Property(x => x.Speaker).HasMaxLength(100);
            e.Property(x => x.Text).HasMaxLength(4000);
        });
        model.Entity<Motion>(e =>
        {
            e.ToTable("Motions");
            e.Property(x => x.Text).HasMaxLength(2000);
            e.Property(x => x.ProposedBy).HasMaxLength(100);
            e.Property(x => x.Reason).HasMaxLength(2000);
            e.Property(x => x.Cost).HasPrecision(14, 2);
        });
        model.Entity<Resolution>(e =>
        {
            e.ToTable("Resolutions");
            e.Property(x => x.Text).HasMaxLength(2000);
            e.Property(x => x.ResponsibleUnit).HasMaxLength(100);
            e.Property(x => x.Outstanding).HasMaxLength(2000);
            e.HasMany(x => x.Positions).WithOne().HasForeignKey(x => x.ResolutionId);
        });
        model.Entity<ResolutionPosition>(e =>
        {
            e.ToTable("ResolutionPositions");
            e.Property(x => x.Party).HasMaxLength(30);
            e.Property(x => x.Position).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Remark).HasMaxLength(500);
            e.HasIndex(x => new { x.ResolutionId, x.Party }).IsUnique(); // one position per party
        });
    }
}
