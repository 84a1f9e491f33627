namespace Deliberate.Server.Identity;

/// <summary>A person who signs in. Roles are scoped to organisation nodes.</summary>
public sealed class User
{
    User() { }

    public User(Guid id, string userName, string displayName, string passwordHash, bool isDemo = false, Guid? ownerId = null)
    {
        Id = id;
        UserName = userName;
        DisplayName = displayName;
        PasswordHash = passwordHash;
        IsDemo = isDemo;
        OwnerId = ownerId;
        SecurityStamp = NewStamp();
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
    /// <summary>A mobile number: typed by an administrator (staff), or proven by a one-time code (residents).</summary>
    public string? Phone { get; private set; }
    /// <summary>
    /// When the holder proved <see cref="Phone"/> with a one-time code (sign-up, a letter's activation); null for a phone an
    /// administrator typed. Only a proven phone may reset the password by SMS: a typo must not hand a stranger the account.
    /// </summary>
    public DateTimeOffset? PhoneVerifiedAt { get; private set; }
    /// <summary>
    /// Set when an administrator created the account or reset its password (a one-time password someone else has seen):
    /// until the user chooses their own, every API but changing the password, /me and signing out answers 403.
    /// </summary>
    public bool MustChangePassword { get; private set; }
    /// <summary>
    /// Changes whenever the user's credentials or standing change (password changed or reset, account
    /// deactivated). Every session carries the stamp it was issued with and is refused once it differs.
    /// </summary>
    public string SecurityStamp { get; private set; } = "";
    /// <summary>When an administrator deactivated the account; a deactivated account cannot sign in.</summary>
    public DateTimeOffset? DeactivatedAt { get; private set; }
    public List<UserRole> Roles { get; private set; } = [];

    public bool IsActive => DeactivatedAt is null;

    public void SetEmail(string? email) => Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();

    /// <summary>A phone as someone typed it (not proven): any earlier proof ends when the number changes.</summary>
    public void SetPhone(string? phone)
    {
        var value = string.IsNullOrWhiteSpace(phone) ? null : phone.Trim();
        if (value != Phone) PhoneVerifiedAt = null;
        Phone = value;
    }

    /// <summary>A phone its holder proved with a one-time code just now.</summary>
    public void ProvePhone(string phone, DateTimeOffset now)
    {
        Phone = phone.Trim();
        PhoneVerifiedAt = now;
    }

    /// <summary>
    /// Links the account to an owner on the register: a verified owner, who may vote. An account stands for one owner;
    /// once linked it stays with that owner.
    /// </summary>
    public void LinkOwner(Guid ownerId)
    {
        if (OwnerId is { } linked && linked != ownerId)
            throw new Api.DomainRuleException("otherOwner", "此账号已认证为另一位业主。", "This account is already verified as another owner.");
        OwnerId = ownerId;
    }

    public void Revoke(Role role, Guid orgUnitId) => Roles.RemoveAll(r => r.Role == role && r.OrgUnitId == orgUnitId);

    public void Grant(Role role, Guid orgUnitId) => Roles.Add(new UserRole(Id, role, orgUnitId));

    /// <summary>
    /// A new password (changed by the user, or a one-time password from an administrator that must be changed at the
    /// next sign-in): every open session ends. An account
    /// of the demo that got a password of its own is no longer a demo account (it keeps working outside demo mode).
    /// </summary>
    public void SetPassword(string passwordHash, bool oneTime = false)
    {
        PasswordHash = passwordHash;
        MustChangePassword = oneTime;
        IsDemo = false;
        SecurityStamp = NewStamp();
    }

    /// <summary>Deactivates the account: it cannot sign in, and every open session ends. Nobody deactivates their own.</summary>
    public void Deactivate(Guid byId, DateTimeOffset now)
    {
        if (byId == Id) throw new Api.DomainRuleException("cannotDeactivateSelf", "不能停用自己的账号。", "You cannot deactivate your own account.");
        if (DeactivatedAt is not null) return;
        DeactivatedAt = now;
        SecurityStamp = NewStamp();
    }

    /// <summary>
    /// Undoes a deactivation: the account signs in again with the password it had. Whether it must change it at the next
    /// sign-in is left as it was (only an administrator's reset makes it so); the sessions ended by the deactivation stay ended.
    /// </summary>
    public void Reactivate() => DeactivatedAt = null;

    static string NewStamp() => Guid.NewGuid().ToString("N");
}

/// <summary>
/// Failed sign-ins for one user name from one client address. Counting per (name, address) means that a
/// stranger guessing from elsewhere locks only himself out, never the real user; and because the key is the
/// name as typed, an unknown user name is counted and locked exactly like a real one.
/// </summary>
public sealed class SignInFailure
{
    /// <summary>Consecutive failures before the pair is locked for a while.</summary>
    public const int FailuresBeforeLockout = 5;
    /// <summary>A pair without a failure for this long starts again from zero (and its row is deleted).</summary>
    public static readonly TimeSpan Forgotten = TimeSpan.FromDays(1);

    SignInFailure() { }

    public SignInFailure(string userName, string clientAddress, DateTimeOffset now)
    {
        UserName = userName;
        ClientAddress = clientAddress;
        LastFailureAt = now;
    }

    public string UserName { get; private set; } = "";
    public string ClientAddress { get; private set; } = "";
    public int Failures { get; private set; }
    public DateTimeOffset LastFailureAt { get; private set; }
    public DateTimeOffset? LockedUntil { get; private set; }

    /// <summary>
    /// How long a pair is locked after this many failures in a row: from the fifth on, a minute, doubling up to
    /// 15 minutes. (Counting happens in the database, atomically: see AuthApi.)
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

    public UserSession(Guid id, Guid userId, string kind, DateTimeOffset createdAt, Guid? refreshTokenId = null)
    {
        Id = id;
        UserId = userId;
        Kind = kind;
        CreatedAt = createdAt;
        RefreshTokenId = refreshTokenId;
    }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    /// <summary>cookie or bearer (password sign-in), or oidc (a cookie after the identity provider vouched).</summary>
    public string Kind { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    /// <summary>
    /// Bearer sessions: the one refresh token of this sign-in that may still be traded. Each refresh replaces
    /// it; a token that is not the current one (already used) revokes the whole session — every access and
    /// refresh token descended from the sign-in.
    /// </summary>
    public Guid? RefreshTokenId { get; private set; }
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
