namespace Deliberate.Server.Identity;

/// <summary>A person who signs in. Roles are scoped to organisation nodes.</summary>
public sealed class User
{
    /// <summary>Consecutive failures before the account is locked for a while.</summary>
    public const int FailuresBeforeLockout = 5;

    User() { }

    public User(Guid id, string userName, string displayName, string passwordHash, bool isDemo = false, Guid? ownerId = null)
    {
        Id = id;
        UserName = userName;
        DisplayName = displayName;
        PasswordHash = passwordHash;
        IsDemo = isDemo;
        OwnerId = ownerId;
    }

    public Guid Id { get; private set; }
    public string UserName { get; private set; } = "";
    public string DisplayName { get; private set; } = "";
    public string PasswordHash { get; private set; } = "";
    /// <summary>A demo account: it can sign in only while demo mode is on.</summary>
    public bool IsDemo { get; private set; }
    /// <summary>The owner record of a resident who owns units (for votes).</summary>
    public Guid? OwnerId { get; private set; }
    /// <summary>Where mail notifications go (Notifications:Smtp); none, none sent.</summary>
    public string? Email { get; private set; }
    public int FailedSignIns { get; private set; }
    public DateTimeOffset? LockedUntil { get; private set; }
    public List<UserRole> Roles { get; private set; } = [];

    public void SetEmail(string? email) => Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();

    public void Grant(Role role, Guid orgUnitId) => Roles.Add(new UserRole(Id, role, orgUnitId));

    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>
    /// How long an account is locked after this many failures in a row: from the fifth on, a minute,
    /// doubling up to 15 minutes. (Counting happens in the database, atomically: see AuthApi.)
    /// </summary>
    public static TimeSpan? LockoutAfter(int failures) =>
        failures < FailuresBeforeLockout ? null : TimeSpan.FromMinutes(Math.Min(15, 1 << Math.Min(4, failures - FailuresBeforeLockout)));

}

/// <summary>
/// One signed-in session (a browser cookie or a bearer token and its refreshes). Signing out revokes
/// it on the server, so a copy of the cookie or token stops working too.
/// </summary>
public sealed class UserSession
{
    UserSession() { }

    public UserSession(Guid id, Guid userId, string kind, DateTimeOffset createdAt)
    {
        Id = id;
        UserId = userId;
        Kind = kind;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    /// <summary>cookie or bearer.</summary>
    public string Kind { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
}

/// <summary>A role held within an organisation node and everything below it.</summary>
public sealed class UserRole
{
    UserRole() { }

    public UserRole(Guid userId, Role role, Guid orgUnitId)
    {
        UserId = userId;
        Role = role;
        OrgUnitId = orgUnitId;
    }

    public Guid UserId { get; private set; }
    public Role Role { get; private set; }
    public Guid OrgUnitId { get; private set; }
}
