using MiniExcelLibs.Attributes;

namespace Deliberate.Server.Ledgers;

// The rows of the five ledgers (台账) as MiniExcel writes them: the column headers are the Chinese an inspector reads,
// fixed whatever the request's language, and typed rows give the headers even when no row matches the filters.

/// <summary>民情台账: a matter with the dates of its steps.</summary>
public sealed class MatterLedgerRow
{
    [ExcelColumnName("序号")] public int No { get; set; }
    [ExcelColumnName("事项标题")] public string Title { get; set; } = "";
    [ExcelColumnName("分类")] public string Category { get; set; } = "";
    [ExcelColumnName("社区")] public string Community { get; set; } = "";
    [ExcelColumnName("网格")] public string Grid { get; set; } = "";
    [ExcelColumnName("来源")] public string Source { get; set; } = "";
    [ExcelColumnName("提事时间")] public string RaisedAt { get; set; } = "";
    [ExcelColumnName("听事分流时间")] public string HeardAt { get; set; } = "";
    [ExcelColumnName("分流")] public string Triage { get; set; } = "";
    [ExcelColumnName("决事时间")] public string DecidedAt { get; set; } = "";
    [ExcelColumnName("办事完成时间")] public string DoneAt { get; set; } = "";
    [ExcelColumnName("评事时间")] public string RatedAt { get; set; } = "";
    [ExcelColumnName("办结时间")] public string ClosedAt { get; set; } = "";
    [ExcelColumnName("当前步骤")] public string Step { get; set; } = "";
    [ExcelColumnName("是否逾期")] public string Overdue { get; set; } = "";
    [ExcelColumnName("处理结论")] public string Resolution { get; set; } = "";
}

/// <summary>会议台账: a meeting with when it actually sat, attendance by party and its resolutions.</summary>
public sealed class MeetingLedgerRow
{
    [ExcelColumnName("序号")] public int No { get; set; }
    [ExcelColumnName("会议名称")] public string Title { get; set; } = "";
    [ExcelColumnName("会议类型")] public string Type { get; set; } = "";
    [ExcelColumnName("形式")] public string Form { get; set; } = "";
    [ExcelColumnName("社区")] public string Community { get; set; } = "";
    [ExcelColumnName("地点")] public string Place { get; set; } = "";
    [ExcelColumnName("计划时间")] public string StartsAt { get; set; } = "";
    [ExcelColumnName("实际开始")] public string OpenedAt { get; set; } = "";
    [ExcelColumnName("实际结束")] public string ClosedAt { get; set; } = "";
    [ExcelColumnName("状态")] public string State { get; set; } = "";
    [ExcelColumnName("主持人")] public string Chair { get; set; } = "";
    [ExcelColumnName("应到")] public int Expected { get; set; }
    [ExcelColumnName("实到")] public int Present { get; set; }
    [ExcelColumnName("列席")] public int InAttendance { get; set; }
    [ExcelColumnName("各方出席")] public string ByParty { get; set; } = "";
    [ExcelColumnName("议定事项数")] public int ResolutionCount { get; set; }
    [ExcelColumnName("议定事项")] public string Resolutions { get; set; } = "";
}

/// <summary>议定事项台账: a resolution with who answers for it, its deadline and how far it got.</summary>
public sealed class ResolutionLedgerRow
{
    [ExcelColumnName("序号")] public int No { get; set; }
    [ExcelColumnName("议定事项")] public string Text { get; set; } = "";
    [ExcelColumnName("会议名称")] public string Meeting { get; set; } = "";
    [ExcelColumnName("会议时间")] public string MeetingAt { get; set; } = "";
    [ExcelColumnName("社区")] public string Community { get; set; } = "";
    [ExcelColumnName("责任单位")] public string ResponsibleUnit { get; set; } = "";
    [ExcelColumnName("完成时限")] public string Deadline { get; set; } = "";
    [ExcelColumnName("是否达成共识")] public string Consensus { get; set; } = "";
    [ExcelColumnName("办理状态")] public string Status { get; set; } = "";
    [ExcelColumnName("完成时间")] public string DoneAt { get; set; } = "";
}

/// <summary>工作事项台账: a work item with its level, escalations and progress.</summary>
public sealed class WorkItemLedgerRow
{
    [ExcelColumnName("序号")] public int No { get; set; }
    [ExcelColumnName("工作事项")] public string Title { get; set; } = "";
    [ExcelColumnName("责任单位")] public string ResponsibleUnit { get; set; } = "";
    [ExcelColumnName("当前层级")] public string Level { get; set; } = "";
    [ExcelColumnName("所在组织")] public string Node { get; set; } = "";
    [ExcelColumnName("关联事项")] public string Matter { get; set; } = "";
    [ExcelColumnName("派发时间")] public string CreatedAt { get; set; } = "";
    [ExcelColumnName("完成时限")] public string Deadline { get; set; } = "";
    [ExcelColumnName("状态")] public string Status { get; set; } = "";
    [ExcelColumnName("进度(%)")] public int Progress { get; set; }
    [ExcelColumnName("完成时间")] public string DoneAt { get; set; } = "";
    [ExcelColumnName("升级次数")] public int Escalations { get; set; }
    [ExcelColumnName("升级记录")] public string EscalationLog { get; set; } = "";
    [ExcelColumnName("是否返工")] public string Rework { get; set; } = "";
}

/// <summary>
/// 表决台账: a ballot with its rule, electorate, turnout and result — the totals only. There is deliberately no column for a
/// voter, a unit or a choice: a secret ballot's choices are never anyone's, and a named ballot's are read on the ballot itself
/// by those allowed to (<see cref="Voting.BallotAccess.MaySeeChoicesAsync"/>).
/// </summary>
public sealed class BallotLedgerRow
{
    [ExcelColumnName("序号")] public int No { get; set; }
    [ExcelColumnName("表决事项")] public string Title { get; set; } = "";
    [ExcelColumnName("事项类型")] public string Kind { get; set; } = "";
    [ExcelColumnName("表决规则")] public string Rule { get; set; } = "";
    [ExcelColumnName("记名方式")] public string Secrecy { get; set; } = "";
    [ExcelColumnName("范围")] public string Scope { get; set; } = "";
    [ExcelColumnName("开始时间")] public string OpensAt { get; set; } = "";
    [ExcelColumnName("截止时间")] public string ClosesAt { get; set; } = "";
    [ExcelColumnName("状态")] public string Status { get; set; } = "";
    [ExcelColumnName("应参与人数")] public int EntitledHeads { get; set; }
    [ExcelColumnName("应参与面积(㎡)")] public decimal? EntitledArea { get; set; }
    [ExcelColumnName("参与人数")] public int VotedHeads { get; set; }
    [ExcelColumnName("参与面积(㎡)")] public decimal? VotedArea { get; set; }
    [ExcelColumnName("人数参与率(%)")] public decimal? HeadTurnout { get; set; }
    [ExcelColumnName("面积参与率(%)")] public decimal? AreaTurnout { get; set; }
    [ExcelColumnName("同意人数")] public int? AgreeHeads { get; set; }
    [ExcelColumnName("同意面积(㎡)")] public decimal? AgreeArea { get; set; }
    [ExcelColumnName("反对人数")] public int? DisagreeHeads { get; set; }
    [ExcelColumnName("弃权人数")] public int? AbstainHeads { get; set; }
    [ExcelColumnName("表决结果")] public string Result { get; set; } = "";
}
