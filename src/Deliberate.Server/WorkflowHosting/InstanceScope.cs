using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Matters;
using Deliberate.Server.Organisation;
using Deliberate.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.WorkflowHosting;

/// <summary>How an instance is started: by whom, and what its domain activities may touch (see <see cref="InstanceScope"/>).</summary>
public sealed record InstanceStart(StartScope Scope, Guid? StartedById, Guid? MatterId)
{
    public static InstanceStart TestRun(Guid? by) => new(StartScope.TestRun, by, null);
    public static InstanceStart ForMatter(Guid matterId, Guid raisedBy) => new(StartScope.Matter, raisedBy, matterId);
    public static InstanceStart ByStaff(Guid by) => new(StartScope.Starter, by, null);
}

/// <summary>A domain activity would act outside its instance's scope: the instance faults with this message as its incident.</summary>
public sealed class OutOfScopeException(string message) : InvalidOperationException(message);

/// <summary>
/// What a domain activity of one instance may touch, from how the instance was started (recorded on its row):
/// <list type="bullet">
/// <item>a test run (a designer's manual start) touches no real row: every domain activity faults;</item>
/// <item>an instance started for a matter touches that matter only, and creates things (meetings, ballots, notices,
/// work items, rating rounds) only on that matter's line of the organisation (its building, grid, community,
/// street, district);</item>
/// <item>an instance a staff member started by hand does what the API would let that person do, by the same rules
/// (<see cref="MatterAccess"/>, the meetings', ballots', notices' and work items' *Access rules), with the
/// person's grants as they are when the activity runs.</item>
/// </list>
/// </summary>
public sealed class InstanceScope
{
    InstanceScope(StartScope kind) => Kind = kind;

    public StartScope Kind { get; }
    /// <summary>The matter of a <see cref="StartScope.Matter"/> instance.</summary>
    public Matter? Matter { get; private init; }
    /// <summary>That matter's grid.</summary>
    public OrgUnit? MatterGrid { get; private init; }
    /// <summary>The person who started a <see cref="StartScope.Starter"/> instance, with their present grants.</summary>
    public Caller? Starter { get; private init; }

    /// <summary>The scope of the instance the activity runs in (its row is tracked by the engine's context).</summary>
    public static async Task<InstanceScope> OfAsync(DeliberateDbContext db, ActivityContext context)
    {
        var ct = context.CancellationToken;
        var record = await db.WorkflowInstances.FindAsync([context.InstanceId], ct)
            ?? throw new InvalidOperationException($"Workflow instance {context.InstanceId} is not loaded.");
        switch (record.Scope)
        {
            case StartScope.Matter when record.ScopeMatterId is { } matterId:
                var matter = await db.Matters.FindAsync([matterId], ct)
                    ?? throw new OutOfScopeException($"本流程实例的事项 {matterId} 不存在。The instance's matter {matterId} does not exist.");
                var grid = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == matter.GridId, ct);
                return new InstanceScope(StartScope.Matter) { Matter = matter, MatterGrid = grid };
            case StartScope.Starter when record.StartedById is { } userId:
                return new InstanceScope(StartScope.Starter) { Starter = await CallerOfAsync(db, userId, ct) };
            default:
                return new InstanceScope(StartScope.TestRun);
        }
    }

    /// <summary>The activity changes this matter (or makes something for it).</summary>
    public async Task EnsureMatterAsync(DeliberateDbContext db, Matter matter, string what, CancellationToken ct)
    {
        switch (Kind)
        {
            case StartScope.Matter when Matter!.Id == matter.Id:
                return;
            case StartScope.Matter:
                throw new OutOfScopeException($"本流程实例是为事项 {Matter.Id} 启动的，不能{what}（事项 {matter.Id}）。"
                    + $" This instance was started for matter {Matter.Id}; it may not {WhatEn(what)} (matter {matter.Id}).");
            case StartScope.Starter:
                var grid = await db.OrgUnits.AsNoTracking().FirstAsync(o => o.Id == matter.GridId, ct);
                if (MatterAccess.CanHandle(Starter!, grid)) return;
                throw NotStarters(what, $"matter {matter.Id}");
            default:
                throw TestRun(what);
        }
    }

    /// <summary>
    /// The activity makes or changes something at this organisation node; <paramref name="starterRule"/> is the rule the
    /// API applies to the same action (asked of the person who started the instance).
    /// </summary>
    public void EnsurePlace(OrgUnit place, string what, Func<Caller, bool> starterRule)
    {
        switch (Kind)
        {
            case StartScope.Matter:
                // The matter's own line: its district, street, community and grid, and the buildings under its grid.
                var gridPath = MatterGrid!.Path;
                if (gridPath.StartsWith(place.Path, StringComparison.Ordinal) || place.Path.StartsWith(gridPath, StringComparison.Ordinal)) return;
                throw new OutOfScopeException($"本流程实例是为事项 {Matter!.Id} 启动的，不能在{place.Name}{what}。"
                    + $" This instance was started for matter {Matter.Id}; it may not {WhatEn(what)} in {place.Name}.");
            case StartScope.Starter:
                if (starterRule(Starter!)) return;
                throw NotStarters(what, place.Name);
            default:
                throw TestRun(what);
        }
    }

    OutOfScopeException NotStarters(string what, string where) =>
        new($"启动本流程实例的{Starter!.DisplayName}无权{what}（{where}）。 {Starter.DisplayName}, who started this instance, may not {WhatEn(what)} ({where}).");

    static OutOfScopeException TestRun(string what) =>
        new($"试运行不能{what}：试运行不改动真实的事项、会议、表决、公示、工作事项和评价。"
            + $" A test run may not {WhatEn(what)}: test runs touch no real matters, meetings, ballots, notices, work items or ratings.");

    /// <summary>The English of the few actions activities name (the Chinese is the key).</summary>
    static string WhatEn(string what) => What.TryGetValue(what, out var en) ? en : what;

    public const string ChangeMatter = "改动事项";
    public const string PostNotice = "张贴公示";
    public const string OrganiseMeeting = "组织会议";
    public const string Consult = "征求意见";
    public const string OpenVote = "发起表决";
    public const string MakeWork = "建立工作事项";
    public const string OpenRating = "发起评价";
    public const string WriteMinutes = "生成会议纪要";

    static readonly Dictionary<string, string> What = new()
    {
        [ChangeMatter] = "change a matter", [PostNotice] = "post a notice", [OrganiseMeeting] = "organise a meeting",
        [Consult] = "start a consultation", [OpenVote] = "open a vote", [MakeWork] = "create work items",
        [OpenRating] = "open a rating", [WriteMinutes] = "generate minutes",
    };

    /// <summary>A user with their grants as they are now (a grant taken away since the start no longer counts).</summary>
    static async Task<Caller> CallerOfAsync(DeliberateDbContext db, Guid userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.UserName, u.DisplayName, u.OwnerId }).FirstOrDefaultAsync(ct)
            ?? throw new OutOfScopeException($"启动本流程实例的用户 {userId} 已不存在。The user {userId} who started this instance no longer exists.");
        var grants = await (from r in db.UserRoles.AsNoTracking()
                            join o in db.OrgUnits.AsNoTracking() on r.OrgUnitId equals o.Id
                            where r.UserId == userId
                            select new Grant(r.Role, o.Id, o.Path, o.Level, o.Name)).ToListAsync(ct);
        return new Caller { Id = userId, UserName = user.UserName, DisplayName = user.DisplayName, OwnerId = user.OwnerId, Grants = grants };
    }
}
