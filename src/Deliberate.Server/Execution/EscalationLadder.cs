using Deliberate.Server.Api;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;

namespace Deliberate.Server.Execution;

/// <summary>
/// The rungs of the ladder and what each one means: the organisation level an item sits at, the role that
/// works on it there, and how long that level gets (its SLA) when an item lands on it.
/// </summary>
public static class EscalationLadder
{
    /// <summary>
    /// Time a level gets for an item it receives by escalation (or an Execute step without a deadline):
    /// the grid 3 days (小事不出网格), the community 5 days, the street 7 days (街道破难), a department 15 days
    /// (部门对接; the 12345 hotline's longest ordinary limit).
    /// </summary>
    public static TimeSpan Sla(EscalationLevel level) => level switch
    {
        EscalationLevel.Grid => TimeSpan.FromDays(3),
        EscalationLevel.Community => TimeSpan.FromDays(5),
        EscalationLevel.Street => TimeSpan.FromDays(7),
        _ => TimeSpan.FromDays(15),
    };

    /// <summary>Who works on an item at a level: 网格员, 社区党组织书记, 街道干部, 职能部门.</summary>
    public static Role RoleAt(EscalationLevel level) => level switch
    {
        EscalationLevel.Grid => Role.GridWorker,
        EscalationLevel.Community => Role.PartySecretary,
        EscalationLevel.Street => Role.StreetOfficer,
        _ => Role.DepartmentOfficer,
    };

    /// <summary>The organisation level whose nodes hold items of this rung (a department item sits at the district).</summary>
    public static OrgLevel OrgLevelOf(EscalationLevel level) => level switch
    {
        EscalationLevel.Grid => OrgLevel.Grid,
        EscalationLevel.Community => OrgLevel.Community,
        EscalationLevel.Street => OrgLevel.Street,
        _ => OrgLevel.District,
    };

    /// <summary>The rung of a node; a building's items are its grid's (the caller moves them to the grid).</summary>
    public static EscalationLevel LevelOf(OrgLevel level) => level switch
    {
        OrgLevel.District => EscalationLevel.Department,
        OrgLevel.Street => EscalationLevel.Street,
        OrgLevel.Community => EscalationLevel.Community,
        _ => EscalationLevel.Grid,
    };

    public static EscalationLevel? Parse(string? code) =>
        EnumCodes.TryParseCode<EscalationLevel>(code, out var level) ? level : null;

    public static string Name(EscalationLevel level) => level switch
    {
        EscalationLevel.Grid => Text.L("网格", "Grid"),
        EscalationLevel.Community => Text.L("社区", "Community"),
        EscalationLevel.Street => Text.L("街道", "Street"),
        _ => Text.L("职能部门", "Department"),
    };

    /// <summary>Roles that can be given work: staff, not residents, designers or the administrator.</summary>
    public static bool CanHoldWork(Role role) => role is not (Role.Resident or Role.WorkflowDesigner or Role.Admin);
}
