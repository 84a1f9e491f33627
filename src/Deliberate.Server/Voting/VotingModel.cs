using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Voting;

static class VotingModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Ballot>(e =>
        {
            e.ToTable("Ballots");
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.Description).HasMaxLength(4000);
            e.Property(x => x.Rule).HasMaxLength(40);
            e.Property(x => x.Kind).HasMaxLength(40);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.OrganiserBody).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.OrganiserName).HasMaxLength(100);
            e.Property(x => x.ProposalText).HasMaxLength(2000);
            e.Property(x => x.ProposalReason).HasMaxLength(2000);
            e.Property(x => x.ProposalCost).HasPrecision(14, 2);
            e.Property(x => x.ProposedBy).HasMaxLength(100);
            e.HasIndex(x => new { x.OrgUnitId, x.Status });
            e.HasIndex(x => x.MeetingId);
            e.HasIndex(x => x.MatterId);
        });
        model.Entity<BallotUnit>(e =>
        {
            e.ToTable("BallotUnits");
            e.HasKey(x => new { x.BallotId, x.UnitId });
            e.Property(x => x.Number).HasMaxLength(30);
            e.Property(x => x.Area).HasPrecision(12, 2);
            e.Property(x => x.HeadKey).HasMaxLength(60);
            e.HasIndex(x => new { x.BallotId, x.HeadKey });
            e.HasOne<Ballot>().WithMany().HasForeignKey(x => x.BallotId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<BallotOwner>(e =>
        {
            e.ToTable("BallotOwners");
            e.HasKey(x => new { x.BallotId, x.OwnerId });
            e.Property(x => x.HeadKey).HasMaxLength(60);
            e.Property(x => x.HeadUnits).HasMaxLength(2000);
            e.Property(x => x.HeadArea).HasPrecision(14, 2);
            e.HasOne<Ballot>().WithMany().HasForeignKey(x => x.BallotId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<BallotMember>(e =>
        {
            e.ToTable("BallotMembers");
            e.HasKey(x => new { x.BallotId, x.MemberKey });
            e.Property(x => x.MemberKey).HasMaxLength(60);
            e.Property(x => x.Name).HasMaxLength(100);
            e.HasOne<Ballot>().WithMany().HasForeignKey(x => x.BallotId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<BallotParticipation>(e =>
        {
            e.ToTable("BallotParticipations");
            e.Property(x => x.HeadKey).HasMaxLength(60);
            e.Property(x => x.Channel).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.ProxyName).HasMaxLength(100);
            e.Property(x => x.OpenChoice).HasMaxLength(10);
            e.HasIndex(x => new { x.BallotId, x.HeadKey }).IsUnique(); // one ballot per head
            e.HasOne<Ballot>().WithMany().HasForeignKey(x => x.BallotId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<BallotVoteHistory>(e =>
        {
            e.ToTable("BallotVoteHistory");
            e.Property(x => x.HeadKey).HasMaxLength(60);
            e.Property(x => x.Channel).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.ProxyName).HasMaxLength(100);
            e.Property(x => x.OpenChoice).HasMaxLength(10);
            e.HasIndex(x => new { x.BallotId, x.HeadKey });
            e.HasOne<Ballot>().WithMany().HasForeignKey(x => x.BallotId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<BallotChoice>(e =>
        {
            e.ToTable("BallotChoices");
            e.HasKey(x => new { x.BallotId, x.ReceiptHash }); // no id of its own: the rows' order is the hashes'
            e.Property(x => x.Choice).HasMaxLength(10);
            e.Property(x => x.ReceiptHash).HasMaxLength(64);
            e.HasIndex(x => x.ReceiptHash).IsUnique();
            e.HasOne<Ballot>().WithMany().HasForeignKey(x => x.BallotId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<BallotBox>(e =>
        {
            e.ToTable("BallotBoxes");
            e.HasKey(x => x.BallotId);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<Ballot>().WithMany().HasForeignKey(x => x.BallotId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
