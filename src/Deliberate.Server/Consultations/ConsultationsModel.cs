using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Consultations;

static class ConsultationsModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Consultation>(e =>
        {
            e.ToTable("Consultations");
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.Question).HasMaxLength(4000);
            // Closing is guarded: the last answer and the deadline may close at the same moment, and only one may publish.
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
            e.HasMany(x => x.Invitees).WithOne().HasForeignKey(x => x.ConsultationId);
            e.HasMany(x => x.Responses).WithOne().HasForeignKey(x => x.ConsultationId);
        });
        model.Entity<ConsultationInvitee>(e =>
        {
            e.ToTable("ConsultationInvitees");
            e.Property(x => x.Party).HasMaxLength(30);
            e.Property(x => x.Name).HasMaxLength(100);
        });
        model.Entity<ConsultationResponse>(e =>
        {
            e.ToTable("ConsultationResponses");
            e.Property(x => x.Position).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Text).HasMaxLength(4000);
            // One answer per invited party, and one per resident answering for themselves.
            e.HasIndex(x => new { x.ConsultationId, x.InviteeId }).IsUnique().HasFilter("\"InviteeId\" IS NOT NULL");
            e.HasIndex(x => new { x.ConsultationId, x.UserId }).IsUnique().HasFilter("\"InviteeId\" IS NULL");
        });
    }
}
