namespace Deliberate.Server.Minutes;

/// <summary>
/// A matter's closing report (事项办结报告): how it was handled from being raised to being rated,
/// what was resolved and done, and what the residents thought of it.
/// </summary>
/// <param name="MatterTitle">The matter, e.g. "3号楼加装电梯".</param>
/// <param name="Category">Its category, e.g. "加装电梯" or "停车管理".</param>
/// <param name="Place">Where, e.g. "幸福里小区3号楼（第二网格）".</param>
/// <param name="Timeline">The steps in order, with dates and actors.</param>
/// <param name="Resolutions">The resolutions (议定事项) and how each was carried out.</param>
/// <param name="WorkItems">Work items (工作事项) and their results.</param>
/// <param name="Rating">The residents' rating (群众评事).</param>
/// <param name="ClosedOn">办结日期.</param>
/// <param name="Issuer">Who reports, e.g. "幸福里社区党委".</param>
public sealed record ClosingReportDocument(
    string MatterTitle,
    string Category,
    string Place,
    IReadOnlyList<TimelineStep> Timeline,
    IReadOnlyList<ItemResult> Resolutions,
    IReadOnlyList<ItemResult> WorkItems,
    RatingSummary Rating,
    DateOnly ClosedOn,
    string Issuer)
{
    /// <summary>The matter's reference number, e.g. "XFL-2026-0153".</summary>
    public string? Reference { get; init; }

    /// <summary>When the matter was raised.</summary>
    public DateOnly? RaisedOn { get; init; }

    /// <summary>Closing opinion (办结意见).</summary>
    public string? Conclusion { get; init; }
}

/// <summary>A step of the handling: when, what (居民提事, 网格听事…), by whom, and what happened.</summary>
public sealed record TimelineStep(DateTimeOffset At, string Step, string Actor, string Detail);

/// <summary>A resolution or work item with its responsible unit, deadline and result.</summary>
public sealed record ItemResult(string Text, string ResponsibleUnit, DateOnly? Deadline, string Result, DateOnly? CompletedOn);

/// <summary>
/// Counts of 满意 / 基本满意 / 不满意. The rate is (满意 + 基本满意) ÷ all ratings unless the
/// ratings capability gives its own, with its definition.
/// </summary>
public sealed record RatingSummary(int Satisfied, int BasicallySatisfied, int Dissatisfied)
{
    /// <summary>Satisfaction rate as a fraction (0.95 = 95 %), when computed elsewhere.</summary>
    public decimal? Rate { get; init; }

    /// <summary>How <see cref="Rate"/> is defined, printed under the figures.</summary>
    public string? RateDefinition { get; init; }

    public int Total => Satisfied + BasicallySatisfied + Dissatisfied;

    /// <summary>The rate to print, or null when nobody rated.</summary>
    public decimal? EffectiveRate => Rate ?? (Total == 0 ? null : (decimal)(Satisfied + BasicallySatisfied) / Total);
}
