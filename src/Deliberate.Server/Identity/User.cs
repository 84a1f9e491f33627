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
    public int FailedSignIns { get; private set; }
    public DateTimeOffset? LockedUntil { get; private set; }
    public List<UserRole> Roles { get; private set; } = [];

    public void Grant(Role role, Guid orgUnitId) => Roles.Add(new UserRole(Id, role, orgUnitId));

    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>Counts a failed sign-in; from the fifth on, locks the account for a minute, doubling up to 15 minutes.</summary>
    public void RecordFailedSignIn(DateTimeOffset now)
    {
        FailedSignIns++;
        if (FailedSignIns >= FailuresBeforeLockout)
        {
            var minutes = Math.Min(15, 1 << Math.Min(4, FailedSignIns - FailuresBeforeLockout));
            LockedUntil = now.AddMinutes(minutes);
        }
    }

    public void RecordSignIn()
    {
        FailedSignIns = 0;
        LockedUntil = null;
    }
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
