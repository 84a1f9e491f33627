using Deliberate.Server.Api;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Bodies;

/// <summary>The bodies a community works with (DOMAIN.md "People and places"); each is a party of its joint meetings.</summary>
public enum BodyKind { OwnersCommittee, ResidentsCommittee, PropertyCompany, ResidentUnit }

/// <summary>主任 / 副主任 / 委员; for a property company or a resident unit: 负责人 (chair) and staff (member).</summary>
public enum MemberPosition { Chair, ViceChair, Member }

/// <summary>Whether a body has a term (a committee's 任期, a company's contract period) running on a given day.</summary>
public enum TermState { Current, Expired, NotYetStarted, None }

/// <summary>
/// A body of a community: its owners' committee (业委会), residents' committee (居委会), a property company serving it (物业) or a
/// resident unit (驻区单位). Its members serve in terms (<see cref="BodyTerm"/>): a new term (换届) replaces the members from its first
/// day and the old terms stay as history. A retired body (the company left, the unit moved away) keeps its history.
/// </summary>
public sealed class Body
{
    /// <summary>业主大会和业主委员会指导规则 Art. 34 and 居委会组织法 Art. 8: a committee's term is at most five years.</summary>
    public const int MaxCommitteeTermYears = 5, MaxContractYears = 10;

    Body() { }

    public Body(Guid id, Guid communityId, BodyKind kind, string name, string? contact, string? partyOrganisation, DateTimeOffset now)
    {
        Id = id;
        CommunityId = communityId;
        Kind = kind;
        CreatedAt = now.ToUniversalTime();
        Change(name, contact, partyOrganisation);
    }

    public Guid Id { get; private set; }
    public Guid CommunityId { get; private set; }
    public BodyKind Kind { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>A telephone or address to reach the body.</summary>
    public string? Contact { get; private set; }
    /// <summary>A resident unit's party organisation (党组织), for 双报到 and the joint meeting.</summary>
    public string? PartyOrganisation { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RetiredAt { get; private set; }
    public List<BodyTerm> Terms { get; private set; } = [];
    /// <summary>A concurrency token: two secretaries recording a new term at once never both win.</summary>
    public Guid Version { get; private set; } = Guid.NewGuid();

    public bool IsCommittee => Kind is BodyKind.OwnersCommittee or BodyKind.ResidentsCommittee;

    public void Change(string name, string? contact, string? partyOrganisation)
    {
        Name = name;
        Contact = contact;
        PartyOrganisation = Kind == BodyKind.ResidentUnit ? partyOrganisation : null;
        Version = Guid.NewGuid();
    }

    public void Retire(DateTimeOffset now)
    {
        RetiredAt ??= now.ToUniversalTime();
        Version = Guid.NewGuid();
    }

    /// <summary>
    /// Records a term (换届, or a new contract period): from <paramref name="startsOn"/> its members replace the previous term's, whose
    /// record stays. Terms only move forward: a term that starts on or before the latest one's start is refused.
    /// </summary>
    public BodyTerm AddTerm(Guid id, DateOnly startsOn, DateOnly endsOn, IReadOnlyList<BodyTerm.NewMember> members, Func<Guid> newId)
    {
        if (RetiredAt is not null)
            throw new DomainRuleException("bodyRetired", "该组织已撤销，不能再登记新一届。", "The body is retired: no new term can be recorded.");
        if (endsOn <= startsOn)
            throw new DomainRuleException(400, "termDates", "任期（合同期）的结束日期应晚于开始日期。", "The term (contract period) must end after it starts.");
        if (IsCommittee && endsOn > startsOn.AddYears(MaxCommitteeTermYears))
            throw new DomainRuleException(400, "termTooLong", $"委员会每届任期不超过{MaxCommitteeTermYears}年。",
                $"A committee's term is at most {MaxCommitteeTermYears} years.");
        if (members.Count == 0)
            throw new DomainRuleException(400, "noMembers", "请至少登记一名成员。", "Record at least one member.");
        if (members.Count(m => m.Position == MemberPosition.Chair) != 1)
            throw new DomainRuleException(400, "oneChair", "每届应有且只有一名主任（负责人）。", "A term has exactly one chair (person in charge).");
        if (!IsCommittee && endsOn > startsOn.AddYears(MaxContractYears))
            throw new DomainRuleException(400, "termTooLong", $"合同期（登记期）不超过{MaxContractYears}年，续签时登记新的一期。",
                $"A contract (registration) period is at most {MaxContractYears} years; record a renewal as a new period.");
        if (members.Where(m => m.UserId is not null).GroupBy(m => m.UserId).Any(g => g.Count() > 1))
            throw new DomainRuleException(400, "memberTwice", "同一账号在一届中只能登记一次。", "An account is recorded once in a term.");
        // Namesakes happen, but a name twice in one list is far more often a paste error: say which.
        if (members.GroupBy(m => m.Name.Trim()).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new DomainRuleException(400, "memberTwice", $"“{twice.Key}”在本届名单中出现了两次；同名的两人请在姓名后注明以区分。",
                $"“{twice.Key}” is listed twice in this term; tell namesakes apart in their names.");
        // 业委会 5–11 members, an odd number (DOMAIN.md); 居委会 5–9 (居委会组织法 Art. 8).
        if (Kind == BodyKind.OwnersCommittee && (members.Count is < 5 or > 11 || members.Count % 2 == 0))
            throw new DomainRuleException(400, "committeeSize", "业主委员会由5至11名委员组成，且为单数。",
                "An owners' committee has 5 to 11 members, an odd number.");
        if (Kind == BodyKind.ResidentsCommittee && members.Count is < 5 or > 9)
            throw new DomainRuleException(400, "committeeSize", "居民委员会由主任、副主任和委员共5至9人组成。",
                "A residents' committee has 5 to 9 members: the chair, vice chairs and members.");
        var latest = Terms.Where(t => t.ReplacedOn is null).MaxBy(t => t.StartsOn);
        if (latest is not null && startsOn <= latest.StartsOn)
            throw new DomainRuleException("termOutOfOrder", "新一届应晚于上一届开始。", "A new term starts after the previous one started.");
        if (latest is not null && startsOn <= latest.EndsOn) latest.ReplaceFrom(startsOn);
        var term = new BodyTerm(id, Id, startsOn, endsOn, members.Select(m => new BodyMember(newId(), id, m)).ToList());
        Terms.Add(term);
        Version = Guid.NewGuid();
        return term;
    }

    /// <summary>The term running on <paramref name="day"/>, if any.</summary>
    public BodyTerm? TermOn(DateOnly day) => Terms.Where(t => t.Covers(day)).MaxBy(t => t.StartsOn);

    public TermState StateOn(DateOnly day) =>
        TermOn(day) is not null ? TermState.Current
        : Terms.Count == 0 ? TermState.None
        : Terms.All(t => t.StartsOn > day) ? TermState.NotYetStarted
        : TermState.Expired;
}

/// <summary>One term of a body (届; a contract period for a company) with the members who serve in it.</summary>
public sealed class BodyTerm
{
    public sealed record NewMember(string Name, MemberPosition Position, Guid? UserId, string? Phone, bool Delegate);

    BodyTerm() { }

    public BodyTerm(Guid id, Guid bodyId, DateOnly startsOn, DateOnly endsOn, List<BodyMember> members)
    {
        Id = id;
        BodyId = bodyId;
        StartsOn = startsOn;
        EndsOn = endsOn;
        Members = members;
    }

    public Guid Id { get; private set; }
    public Guid BodyId { get; private set; }
    public DateOnly StartsOn { get; private set; }
    /// <summary>The last day of the term as elected or contracted.</summary>
    public DateOnly EndsOn { get; private set; }
    /// <summary>The first day of the next term, when it began before this one ran out (换届 early).</summary>
    public DateOnly? ReplacedOn { get; private set; }
    public List<BodyMember> Members { get; private set; } = [];

    public bool Covers(DateOnly day) => StartsOn <= day && day <= EndsOn && (ReplacedOn is null || day < ReplacedOn);

    internal void ReplaceFrom(DateOnly day) => ReplacedOn = day;

    /// <summary>Who attends joint meetings for the body: the members marked as its delegates, else the chair.</summary>
    public IEnumerable<BodyMember> Delegates()
    {
        var marked = Members.Where(m => m.Delegate).ToList();
        return marked.Count > 0 ? marked : Members.Where(m => m.Position == MemberPosition.Chair);
    }
}

/// <summary>A member of one term: a person by name, with their staff account where they have one (which then acts for the body).</summary>
public sealed class BodyMember
{
    BodyMember() { }

    public BodyMember(Guid id, Guid termId, BodyTerm.NewMember m)
    {
        Id = id;
        TermId = termId;
        Name = m.Name;
        Position = m.Position;
        UserId = m.UserId;
        Phone = m.Phone;
        Delegate = m.Delegate;
    }

    public Guid Id { get; private set; }
    public Guid TermId { get; private set; }
    public string Name { get; private set; } = "";
    public MemberPosition Position { get; private set; }
    public Guid? UserId { get; private set; }
    public string? Phone { get; private set; }
    /// <summary>Attends the community's joint meetings for the body (else the chair does).</summary>
    public bool Delegate { get; private set; }
}

static class BodiesModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Body>(e =>
        {
            e.ToTable("Bodies");
            e.HasKey(b => b.Id);
            e.Property(b => b.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(b => b.Name).HasMaxLength(200);
            e.Property(b => b.Contact).HasMaxLength(200);
            e.Property(b => b.PartyOrganisation).HasMaxLength(200);
            e.Property(b => b.Version).IsConcurrencyToken();
            e.HasIndex(b => new { b.CommunityId, b.Kind });
            e.HasOne<Organisation.OrgUnit>().WithMany().HasForeignKey(b => b.CommunityId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(b => b.Terms).WithOne().HasForeignKey(t => t.BodyId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<BodyTerm>(e =>
        {
            e.ToTable("BodyTerms");
            e.HasKey(t => t.Id);
            e.HasMany(t => t.Members).WithOne().HasForeignKey(m => m.TermId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<BodyMember>(e =>
        {
            e.ToTable("BodyMembers");
            e.HasKey(m => m.Id);
            e.Property(m => m.Position).HasConversion<string>().HasMaxLength(16);
            e.Property(m => m.Name).HasMaxLength(100);
            e.Property(m => m.Phone).HasMaxLength(32);
            e.HasIndex(m => m.UserId);
        });
    }
}
