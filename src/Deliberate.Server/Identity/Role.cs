using Deliberate.Server.Api;

namespace Deliberate.Server.Identity;

/// <summary>What a person does, always within an organisation scope.</summary>
public enum Role
{
    Admin,
    PartySecretary,
    GridWorker,
    ResidentsCommittee,
    OwnersCommittee,
    PropertyCompany,
    StreetOfficer,
    DepartmentOfficer,
    WorkflowDesigner,
    Resident,
}

public static class Roles
{
    /// <summary>The role's name in workflow files and the API: camelCase, e.g. "gridWorker".</summary>
    public static string Name(this Role role) => role.Code();

    public static Role? Parse(string? name) =>
        EnumCodes.TryParseCode<Role>(name, out var role) ? role : null;

    public static readonly IReadOnlyDictionary<Role, (string Zh, string En)> DisplayNames = new Dictionary<Role, (string, string)>
    {
        [Role.Admin] = ("系统管理员", "Administrator"),
        [Role.PartySecretary] = ("社区党组织书记", "Party secretary"),
        [Role.GridWorker] = ("网格员", "Grid worker"),
        [Role.ResidentsCommittee] = ("居委会", "Residents' committee"),
        [Role.OwnersCommittee] = ("业委会", "Owners' committee"),
        [Role.PropertyCompany] = ("物业公司", "Property company"),
        [Role.StreetOfficer] = ("街道干部", "Street officer"),
        [Role.DepartmentOfficer] = ("职能部门", "Department officer"),
        [Role.WorkflowDesigner] = ("流程设计员", "Workflow designer"),
        [Role.Resident] = ("居民/业主", "Resident / owner"),
    };
}
