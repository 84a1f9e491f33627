using Deliberate.Server.Api;
using Deliberate.Server.Data;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Notifications;

/// <summary>A robot as the console shows it: its key and secret masked, and how its last card went.</summary>
public sealed record GroupRobotView(Guid Id, Guid OrgUnitId, RobotKind Kind, string Name, string Url, string? Secret, bool Enabled,
    DateTimeOffset? LastDeliveredAt, string? LastError, int Waiting);

/// <summary>Null keeps what is stored (the console never has the whole key or secret to send back).</summary>
/// <summary>Whether the chat took the test card, and the robot's answer when it did not (a wrong key, a signature, an address).</summary>
public sealed record RobotTestResult(bool Delivered, string? Error);

public sealed record GroupRobotRequest(RobotKind? Kind, string? Name, string? Url, string? Secret, bool? Enabled);

/// <summary>Group robots of a community or a grid, kept by its party secretary or an admin.</summary>
public static class GroupRobotsApi
{
    public static void MapGroupRobotsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/org-units/{id:guid}/robots").WithTags("Notifications").RequireAuthorization();
        group.MapGet("/", List).WithSummary("The group robots of a community or grid (keys and secrets masked).")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound);
        group.MapPost("/", Add).WithSummary("Add a 企业微信/政务微信 or 钉钉 group robot (the party secretary or an admin).")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound);
        group.MapPut("/{robotId:guid}", Change).WithSummary("Rename, re-key or switch a robot on or off; a null URL or secret keeps the stored one.")
            .Problems(ProblemCodes.Validation, ProblemCodes.Forbidden, ProblemCodes.NotFound);
        group.MapPost("/{robotId:guid}/test", Test)
            .WithSummary("Post a test card to the robot now and say whether its chat took it (the robot's own error if not).")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound);
        group.MapDelete("/{robotId:guid}", Remove).WithSummary("Remove a robot and its undelivered cards.")
            .Problems(ProblemCodes.Forbidden, ProblemCodes.NotFound);
    }

    /// <summary>The node, if it is a community or grid the caller keeps; a problem otherwise.</summary>
    static async Task<(OrgUnit? Node, ProblemHttpResult? Problem)> KeptAsync(Guid id, Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var node = await db.OrgUnits.AsNoTracking()
            .FirstOrDefaultAsync(o => o.Id == id && (o.Level == OrgLevel.Community || o.Level == OrgLevel.Grid), ct);
        if (node is null || !caller.IsStaffAt(node.Path)) return (null, Problems.NotFound("社区或网格", "community or grid"));
        if (!caller.AdministersAt(node.Path) && !caller.Holds(Role.PartySecretary, node.Path))
            return (null, Problems.Forbidden("forbidden", "只有社区党组织书记或管理员可以设置群机器人。", "Only the party secretary or an admin sets up group robots."));
        return (node, null);
    }

    static async Task<Results<Ok<List<GroupRobotView>>, ProblemHttpResult>> List(Guid id, Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var (node, problem) = await KeptAsync(id, caller, db, ct);
        if (node is null) return problem!;
        var robots = await db.GroupRobots.AsNoTracking().Where(r => r.OrgUnitId == id).OrderBy(r => r.CreatedAt).ToListAsync(ct);
        var views = new List<GroupRobotView>();
        foreach (var robot in robots) views.Add(await ViewAsync(db, robot, ct));
        return TypedResults.Ok(views);
    }

    static async Task<Results<Created<GroupRobotView>, ValidationProblem, ProblemHttpResult>> Add(Guid id, GroupRobotRequest request, Caller caller,
        DeliberateDbContext db, RobotOptions options, TimeProvider clock, CancellationToken ct)
    {
        var (node, problem) = await KeptAsync(id, caller, db, ct);
        if (node is null) return problem!;
        var errors = new FieldErrors();
        if (request.Kind is null) errors.Add("kind", "请选择机器人类型。", "Choose the kind of robot.");
        errors.Required("url", request.Url, "机器人地址", "The robot's URL");
        Check(errors, request, request.Kind ?? RobotKind.WeCom, options);
        if (errors.Any) return errors.ToProblem();
        var robot = new GroupRobot(Guid.CreateVersion7(clock.GetUtcNow()), id, request.Kind!.Value, Named(request, request.Kind.Value), request.Url!,
            request.Secret, clock.GetUtcNow());
        if (request.Enabled == false) robot.Change(robot.Name, robot.Url, robot.Secret, false);
        db.GroupRobots.Add(robot);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/org-units/{id}/robots/{robot.Id}", await ViewAsync(db, robot, ct));
    }

    static async Task<Results<Ok<GroupRobotView>, ValidationProblem, ProblemHttpResult>> Change(Guid id, Guid robotId, GroupRobotRequest request,
        Caller caller, DeliberateDbContext db, RobotOptions options, CancellationToken ct)
    {
        var (node, problem) = await KeptAsync(id, caller, db, ct);
        if (node is null) return problem!;
        var robot = await db.GroupRobots.FirstOrDefaultAsync(r => r.Id == robotId && r.OrgUnitId == id, ct);
        if (robot is null) return Problems.NotFound("群机器人", "group robot");
        var errors = new FieldErrors();
        Check(errors, request, robot.Kind, options);
        if (errors.Any) return errors.ToProblem();
        robot.Change(string.IsNullOrWhiteSpace(request.Name) ? robot.Name : request.Name,
            string.IsNullOrWhiteSpace(request.Url) ? robot.Url : request.Url,
            request.Secret is null ? robot.Secret : request.Secret, request.Enabled ?? robot.Enabled);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ViewAsync(db, robot, ct));
    }

    /// <summary>
    /// Sent at once rather than through the outbox: the secretary pasting a webhook wants to know now whether it works. Nothing is
    /// stored, so a failing test leaves no card to retry.
    /// </summary>
    static async Task<Results<Ok<RobotTestResult>, ProblemHttpResult>> Test(Guid id, Guid robotId, Caller caller, DeliberateDbContext db,
        GroupRobotSender sender, TimeProvider clock, CancellationToken ct)
    {
        var (node, problem) = await KeptAsync(id, caller, db, ct);
        if (node is null) return problem!;
        var robot = await db.GroupRobots.AsNoTracking().FirstOrDefaultAsync(r => r.Id == robotId && r.OrgUnitId == id, ct);
        if (robot is null) return Problems.NotFound("群机器人", "group robot");
        var now = clock.GetUtcNow();
        var card = new GroupMessage(Guid.CreateVersion7(now), robot.Id, NotificationKind.Assignment, $"测试消息：{node.Name}",
            $"这是议事协商系统发给“{robot.Name}”的测试消息，由{caller.DisplayName}于 {ChinaTime.Minutes(now)} 发送。", "/console", now);
        try
        {
            await sender.SendAsync(robot, card, ct);
            return TypedResults.Ok(new RobotTestResult(true, null));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return TypedResults.Ok(new RobotTestResult(false, RobotRefusedException.Describe(e)));
        }
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Remove(
        Guid id, Guid robotId, Caller caller, DeliberateDbContext db, CancellationToken ct)
    {
        var (node, problem) = await KeptAsync(id, caller, db, ct);
        if (node is null) return problem!;
        var robot = await db.GroupRobots.FirstOrDefaultAsync(r => r.Id == robotId && r.OrgUnitId == id, ct);
        if (robot is null) return Problems.NotFound("群机器人", "group robot");
        db.GroupMessages.RemoveRange(db.GroupMessages.Where(m => m.RobotId == robotId));
        db.GroupRobots.Remove(robot);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static void Check(FieldErrors errors, GroupRobotRequest request, RobotKind kind, RobotOptions options)
    {
        errors.MaxLength("name", request.Name, GroupRobot.MaxName, "名称", "The name");
        errors.MaxLength("url", request.Url, GroupRobot.MaxUrl, "机器人地址", "The robot's URL");
        errors.MaxLength("secret", request.Secret, GroupRobot.MaxSecret, "加签密钥", "The signing secret");
        if (string.IsNullOrWhiteSpace(request.Url)) return;
        switch (GroupRobotSender.UrlProblem(request.Url.Trim(), kind, options))
        {
            case "robotUrlHttps":
                errors.Add("url", "机器人地址须以 https:// 开头。", "The robot's URL must start with https://."); break;
            case "robotUrlInternal":
                errors.Add("url", "机器人地址不能指向本机或内部网络地址。", "The robot's URL may not point at this machine or an internal address."); break;
            case not null:
                errors.Add("url", "请粘贴群机器人的完整 Webhook 地址（https://…）。", "Paste the robot's whole webhook URL (https://…)."); break;
        }
    }

    static string Named(GroupRobotRequest request, RobotKind kind) =>
        string.IsNullOrWhiteSpace(request.Name) ? kind == RobotKind.DingTalk ? "钉钉群机器人" : "企业微信群机器人" : request.Name;

    static async Task<GroupRobotView> ViewAsync(DeliberateDbContext db, GroupRobot robot, CancellationToken ct)
    {
        var messages = db.GroupMessages.AsNoTracking().Where(m => m.RobotId == robot.Id);
        var delivered = await messages.Where(m => m.DeliveredAt != null).MaxAsync(m => (DateTimeOffset?)m.DeliveredAt, ct);
        var failing = await messages.Where(m => m.NextDeliveryAt != null && m.LastError != null).OrderByDescending(m => m.CreatedAt)
            .Select(m => m.LastError).FirstOrDefaultAsync(ct);
        var waiting = await messages.CountAsync(m => m.NextDeliveryAt != null, ct);
        return new(robot.Id, robot.OrgUnitId, robot.Kind, robot.Name, robot.MaskedUrl(), GroupRobot.Mask(robot.Secret), robot.Enabled, delivered,
            failing, waiting);
    }
}
