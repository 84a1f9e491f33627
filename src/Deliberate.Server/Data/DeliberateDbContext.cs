using Deliberate.Server.Consultations;
using Deliberate.Server.Execution;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Meetings;
using Deliberate.Server.Notices;
using Deliberate.Server.Organisation;
using Deliberate.Server.Ratings;
using Deliberate.Server.ReviewCycles;
using Deliberate.Server.Tasks;
using Deliberate.Server.Voting;
using Deliberate.Server.WorkflowHosting;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Data;

/// <summary>
/// The one database. Endpoints use it directly. Each provider has a subclass with its own
/// migrations (<see cref="SqliteDeliberateDbContext"/>, <see cref="PostgresDeliberateDbContext"/>).
/// </summary>
public abstract class DeliberateDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>Which database, from the context's own type: Database.IsSqlite() asks EF Core's services each time, on hot paths.</summary>
    public bool UsesSqlite => this is SqliteDeliberateDbContext;

    public DbSet<OrgUnit> OrgUnits => Set<OrgUnit>();
    public DbSet<PropertyUnit> PropertyUnits => Set<PropertyUnit>();
    public DbSet<Owner> Owners => Set<Owner>();
    public DbSet<UnitOwnership> UnitOwnerships => Set<UnitOwnership>();
    public DbSet<Register.RegisterImport> RegisterImports => Set<Register.RegisterImport>();
    public DbSet<User> Users => Set<User>();
    public DbSet<UserRole> UserRoles => Set<UserRole>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<SignInFailure> SignInFailures => Set<SignInFailure>();
    public DbSet<SignUp.PhoneCode> PhoneCodes => Set<SignUp.PhoneCode>();
    public DbSet<SignUp.HomeClaim> HomeClaims => Set<SignUp.HomeClaim>();
    public DbSet<SignUp.ClaimAttempt> ClaimAttempts => Set<SignUp.ClaimAttempt>();
    public DbSet<SignUp.ActivationLetter> ActivationLetters => Set<SignUp.ActivationLetter>();
    public DbSet<Matter> Matters => Set<Matter>();
    public DbSet<Files.Attachment> Attachments => Set<Files.Attachment>();
    public DbSet<InboxTask> InboxTasks => Set<InboxTask>();
    public DbSet<WorkflowDefinitionRecord> WorkflowDefinitions => Set<WorkflowDefinitionRecord>();
    public DbSet<WorkflowInstanceRecord> WorkflowInstances => Set<WorkflowInstanceRecord>();
    public DbSet<BookmarkRecord> Bookmarks => Set<BookmarkRecord>();
    public DbSet<JournalRecord> WorkflowJournal => Set<JournalRecord>();
    public DbSet<CommunitySettings> CommunitySettings => Set<CommunitySettings>();
    public DbSet<Meeting> Meetings => Set<Meeting>();
    public DbSet<MeetingParticipant> MeetingParticipants => Set<MeetingParticipant>();
    public DbSet<AgendaItem> AgendaItems => Set<AgendaItem>();
    public DbSet<PartyOpinion> PartyOpinions => Set<PartyOpinion>();
    public DbSet<Motion> Motions => Set<Motion>();
    public DbSet<Resolution> Resolutions => Set<Resolution>();
    public DbSet<ReviewCycle> ReviewCycles => Set<ReviewCycle>();
    public DbSet<Consultation> Consultations => Set<Consultation>();
    public DbSet<ConsultationInvitee> ConsultationInvitees => Set<ConsultationInvitee>();
    public DbSet<ConsultationResponse> ConsultationResponses => Set<ConsultationResponse>();
    public DbSet<Ballot> Ballots => Set<Ballot>();
    public DbSet<BallotUnit> BallotUnits => Set<BallotUnit>();
    public DbSet<BallotOwner> BallotOwners => Set<BallotOwner>();
    public DbSet<BallotMember> BallotMembers => Set<BallotMember>();
    public DbSet<BallotParticipation> BallotParticipations => Set<BallotParticipation>();
    public DbSet<BallotVoteHistory> BallotVoteHistory => Set<BallotVoteHistory>();
    public DbSet<BallotChoice> BallotChoices => Set<BallotChoice>();
    public DbSet<RulesOfProcedure> RulesOfProcedure => Set<RulesOfProcedure>();
    public DbSet<BallotBox> BallotBoxes => Set<BallotBox>();
    public DbSet<WorkItem> WorkItems => Set<WorkItem>();
    public DbSet<WorkItemUpdate> WorkItemUpdates => Set<WorkItemUpdate>();
    public DbSet<RatingRound> RatingRounds => Set<RatingRound>();
    public DbSet<Rating> Ratings => Set<Rating>();
    public DbSet<Notice> Notices => Set<Notice>();
    public DbSet<Audit.AuditEntry> AuditLog => Set<Audit.AuditEntry>();
    public DbSet<Minutes.MinutesVersion> MinutesVersions => Set<Minutes.MinutesVersion>();
    public DbSet<Minutes.MinutesSignOff> MinutesSignOffs => Set<Minutes.MinutesSignOff>();
    public DbSet<Notifications.Notification> Notifications => Set<Notifications.Notification>();
    public DbSet<Notifications.NotificationDelivery> NotificationDeliveries => Set<Notifications.NotificationDelivery>();
    public DbSet<Notifications.GroupRobot> GroupRobots => Set<Notifications.GroupRobot>();
    public DbSet<Notifications.GroupMessage> GroupMessages => Set<Notifications.GroupMessage>();
    /// <summary>Data-protection keys live in the database so that every node can read every cookie and token.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Bodies.Body> Bodies => Set<Bodies.Body>();
    public DbSet<Bodies.BodyTerm> BodyTerms => Set<Bodies.BodyTerm>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        OrganisationModel.Configure(model);
        IdentityModel.Configure(model);
        SignUp.SignUpModel.Configure(model);
        Files.FilesModel.Configure(model);
        MattersModel.Configure(model);
        TasksModel.Configure(model);
        WorkflowHostingModel.Configure(model);
        CommunitySettingsModel.Configure(model);
        RulesOfProcedureModel.Configure(model);
        MeetingsModel.Configure(model);
        ConsultationsModel.Configure(model);
        ReviewCyclesModel.Configure(model);
        VotingModel.Configure(model);
        ExecutionModel.Configure(model);
        RatingsModel.Configure(model);
        NoticesModel.Configure(model);
        Audit.AuditModel.Configure(model);
        Minutes.MinutesModel.Configure(model);
        Server.Notifications.NotificationsModel.Configure(model);
        Server.Notifications.GroupRobotsModel.Configure(model);
        Server.Bodies.BodiesModel.Configure(model);
        model.Entity<DataProtectionKey>().ToTable("DataProtectionKeys");
    }

    /// <summary>
    /// Every save that changes audited rows writes their audit entries in the same transaction, so that
    /// no change is ever committed without its entry, nor an entry without its change.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var changes = Audit.AuditTrail.Capture(ChangeTracker);
        if (changes.Count == 0) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        // One SaveChanges, one transaction: the entries are written with the changes they record, or neither is.
        var entries = await Audit.AuditTrail.AppendAsync(this, changes, cancellationToken);
        return await SaveOrForgetAsync(entries, acceptAllChangesOnSuccess, cancellationToken);
    }

    async Task<int> SaveOrForgetAsync(List<Audit.AuditEntry> entries, bool acceptAllChangesOnSuccess, CancellationToken ct)
    {
        try
        {
            var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);
            Audit.AuditTrail.Saved(this, entries, committed: true);
            return written;
        }
        catch
        {
            // The entries were numbered for this attempt; a retry numbers its own.
            foreach (var entry in entries) Entry(entry).State = EntityState.Detached;
            Audit.AuditTrail.Saved(this, entries, committed: false);
            throw;
        }
    }

    /// <summary>Only data-protection keys are saved synchronously (by ASP.NET Core); audited rows must go through <see cref="SaveChangesAsync(bool,
    /// CancellationToken)"/>.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (Audit.AuditTrail.Capture(ChangeTracker).Count > 0)
            throw new InvalidOperationException("Audited changes must be saved with SaveChangesAsync, which writes their audit entries.");
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }
}

/// <summary>The embedded default.</summary>
public sealed class SqliteDeliberateDbContext(DbContextOptions<SqliteDeliberateDbContext> options) : DeliberateDbContext(options)
{
    /// <summary>
    /// SQLite allows one writer at a time, and Microsoft.Data.Sqlite meets a held lock by sleeping 150 ms and
    /// retrying — long tails under concurrent writes. So this process's saves queue for the file in order
    /// before they write, and never collide on the lock. Readers are not held up: WAL lets them read while one writes.
    /// </summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> WriteGates = new();

    SemaphoreSlim WriteGate => WriteGates.GetOrAdd(Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var gate = WriteGate;
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var gate = WriteGate;
        gate.Wait();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            gate.Release();
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // SQLite has no date type: store UTC instants as sortable integers so that
        // comparisons and ORDER BY translate (every time we write is UTC).
        conventions.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        conventions.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }

    sealed class UtcTicksConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
}

/// <summary>Production.</summary>
public sealed class PostgresDeliberateDbContext(DbContextOptions<PostgresDeliberateDbContext> options) : DeliberateDbContext(options);
