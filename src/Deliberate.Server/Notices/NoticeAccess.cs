using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;

namespace Deliberate.Server.Notices;

/// <summary>Who posts notices: community and street staff at the place or above it (not the property company).</summary>
public static class NoticeAccess
{
    public static bool MayPost(Caller caller, OrgUnit place) =>
        caller.Grants.Any(g => g.Role is not (Role.PropertyCompany or Role.Resident or Role.WorkflowDesigner)
            && place.Path.StartsWith(g.Path, StringComparison.Ordinal));
}
