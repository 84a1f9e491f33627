using Deliberate.Server.Api;
using Deliberate.Server.Execution;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;

namespace Deliberate.Tests.Execution;

/// <summary>A work item's guards: progress, completion, the ladder, overdue.</summary>
public class WorkItemTests
{
    static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));
    static readonly Guid Grid = Guid.NewGuid();
    static readonly Guid Community = Guid.NewGuid();
    static readonly Guid Worker = Guid.NewGuid();

    static WorkItem Item(EscalationLevel level = EscalationLevel.Grid, DateTimeOffset? deadline = null) =>
        new(Guid.NewGuid(), "更换路灯", null, "物业公司", level, Grid, EscalationLadder.RoleAt(level), null, deadline ?? Now.AddDays(3),
            null, null, null, null, Now, createdById: Worker);

    [Fact]
    public void A_new_item_is_open_with_its_creation_as_the_first_line_of_its_history()
    {
        var item = Item();

        Assert.Equal(WorkItemStatus.Open, item.Status);
        var created = Assert.Single(item.Updates);
        Assert.Equal(WorkItemUpdateKind.Created, created.Kind);
        Assert.Equal(Worker, created.ById);
        Assert.Equal(Now, created.At);
        Assert.False(item.Rework);
    }

    [Fact]
    public void Reporting_progress_starts_the_work_and_keeps_the_per_cent()
    {
        var item = Item();
        var update = item.Report(Worker, "已订购灯具", 40, Now.AddHours(1));

        Assert.Equal(WorkItemStatus.InProgress, item.Status);
        Assert.Equal(40, item.Progress);
        Assert.Equal((WorkItemUpdateKind.Progress, "已订购灯具", 40), (update.Kind, update.Text, update.Progress));

        item.Report(Worker, "灯具到货", null, Now.AddHours(2));
        Assert.Equal(40, item.Progress); // no per cent: the last one stands
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void A_per_cent_outside_0_to_100_is_refused_and_changes_nothing(int percent)
    {
        var item = Item();
        var refused = Assert.Throws<WorkItemRuleException>(() => item.Report(Worker, "x", percent, Now));

        Assert.Equal("badPercent", refused.Code);
        Assert.Equal((WorkItemStatus.Open, 0, 1), (item.Status, item.Progress, item.Updates.Count));
    }

    [Fact]
    public void Progress_completion_and_escalation_need_a_text()
    {
        var item = Item();
        Assert.Equal("noText", Assert.Throws<WorkItemRuleException>(() => item.Report(Worker, " ", 10, Now)).Code);
        Assert.Equal("noText", Assert.Throws<WorkItemRuleException>(() => item.Complete(Worker, "", Now)).Code);
        Assert.Equal("noText",
            Assert.Throws<WorkItemRuleException>(() => item.Escalate(Worker, "", Community, Role.PartySecretary, Now.AddDays(5), Now)).Code);
        Assert.Single(item.Updates);
    }

    [Fact]
    public void Completing_makes_it_done_at_100_per_cent_and_a_done_item_takes_no_more_work()
    {
        var item = Item();
        var at = Now.AddDays(1);
        item.Complete(Worker, "两盏灯已更换", at);

        Assert.Equal((WorkItemStatus.Done, 100, at), (item.Status, item.Progress, item.DoneAt));
        Assert.Equal("done", Assert.Throws<WorkItemRuleException>(() => item.Complete(Worker, "again", at)).Code);
        Assert.Equal("done", Assert.Throws<WorkItemRuleException>(() => item.Report(Worker, "more", 50, at)).Code);
        Assert.Equal("done", Assert.Throws<WorkItemRuleException>(() => item.Escalate(Worker, "up", Community, Role.PartySecretary, at, at)).Code);
        Assert.Null(item.MarkOverdue(at.AddDays(30)));
    }

    [Fact]
    public void Escalating_hands_the_item_one_level_up_to_that_levels_role_node_and_deadline_and_records_the_levels()
    {
        var item = Item();
        item.Report(Worker, "需要社区协调", 20, Now);
        var update = item.Escalate(Worker, "涉及多个楼栋，网格无法协调", Community, Role.PartySecretary, Now.AddDays(5), Now.AddHours(1));

        Assert.Equal((EscalationLevel.Community, Community, Role.PartySecretary, Now.AddDays(5), WorkItemStatus.Open),
            (item.Level, item.OrgUnitId, item.Role, item.Deadline, item.Status));
        Assert.Equal((WorkItemUpdateKind.Escalated, EscalationLevel.Grid, EscalationLevel.Community),
            (update.Kind, update.FromLevel!.Value, update.ToLevel!.Value));
        Assert.Equal(20, item.Progress); // the history and the progress climb with it
        Assert.Equal(3, item.Updates.Count);
    }

    [Fact]
    public void An_item_with_a_department_cannot_climb_further()
    {
        var item = Item(EscalationLevel.Department);
        var refused = Assert.Throws<WorkItemRuleException>(() => item.Escalate(null, "再上报", Community, Role.DepartmentOfficer, Now.AddDays(1), Now));
        Assert.Equal("topOfLadder", refused.Code);
        Assert.Equal(EscalationLevel.Department, item.Level);
    }

    [Fact]
    public void An_item_runs_overdue_only_once_its_deadline_has_come_and_only_once()
    {
        var deadline = Now.AddDays(3);
        var item = Item(deadline: deadline);

        Assert.Null(item.MarkOverdue(deadline.AddTicks(-1)));
        Assert.False(item.IsOverdueAt(deadline));
        Assert.True(item.IsOverdueAt(deadline.AddTicks(1)));
        var overdue = item.MarkOverdue(deadline);
        Assert.NotNull(overdue);
        Assert.Null(overdue.ById); // the system
        Assert.Equal(WorkItemStatus.Overdue, item.Status);
        Assert.Null(item.MarkOverdue(deadline.AddDays(1)));
    }

    [Fact]
    public void Every_change_bumps_the_revision_so_that_concurrent_changes_cannot_both_win()
    {
        var item = Item();
        var before = item.Revision;
        item.Report(Worker, "开工", 10, Now);
        item.Complete(Worker, "完工", Now);
        Assert.Equal(before + 2, item.Revision);
    }

    [Fact]
    public void Reopening_needs_a_done_item()
    {
        var item = Item();
        Assert.Equal("notDone", Assert.Throws<WorkItemRuleException>(() => item.Reopen(null, "返工", Now.AddDays(3), Now)).Code);
        item.Complete(Worker, "完工", Now);
        item.Reopen(null, "返工", Now.AddDays(3), Now.AddDays(1));
        Assert.Equal((WorkItemStatus.Open, (DateTimeOffset?)null), (item.Status, item.DoneAt));
    }

    [Fact]
    public void The_ladder_gives_each_level_its_role_node_level_and_a_longer_time_than_the_level_below()
    {
        Assert.Equal([Role.GridWorker, Role.PartySecretary, Role.StreetOfficer, Role.DepartmentOfficer],
            Enum.GetValues<EscalationLevel>().Select(EscalationLadder.RoleAt));
        Assert.Equal([OrgLevel.Grid, OrgLevel.Community, OrgLevel.Street, OrgLevel.District],
            Enum.GetValues<EscalationLevel>().Select(EscalationLadder.OrgLevelOf));
        Assert.Equal([3, 5, 7, 15], Enum.GetValues<EscalationLevel>().Select(l => EscalationLadder.Sla(l).TotalDays));
        Assert.Equal(EscalationLevel.Grid, EscalationLadder.LevelOf(OrgLevel.Building));
        Assert.Null(EscalationLadder.Parse("1"));
        Assert.Equal(EscalationLevel.Street, EscalationLadder.Parse("street"));
    }

    [Fact]
    public void A_resolution_deadline_is_the_end_of_that_day_in_China()
    {
        var end = ChinaTime.EndOf(new DateOnly(2026, 6, 30));
        Assert.Equal(new DateTimeOffset(2026, 6, 30, 16, 0, 0, TimeSpan.Zero), end.ToUniversalTime());
        Assert.Equal(new DateOnly(2026, 7, 1), ChinaTime.Today(new DateTimeOffset(2026, 6, 30, 16, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 6, 30), ChinaTime.Today(new DateTimeOffset(2026, 6, 30, 15, 59, 59, TimeSpan.Zero)));
    }
}
