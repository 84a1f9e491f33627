using Deliberate.Server.Identity;

namespace Deliberate.Server.Bodies;

/// <summary>
/// Who sees and keeps a community's register of bodies. Staff of the community read it. Only its party secretary and the
/// administrators over it record bodies, terms and members: a committee's membership comes from its election and is filed
/// (备案) with the community, so the owners' committee does not edit its own membership — it could otherwise add itself a
/// chair or extend its own term.
/// </summary>
public static class BodyAccess
{
    public static bool MayRead(Caller caller, string communityPath) => caller.IsStaffAt(communityPath) || caller.AdministersAt(communityPath);

    public static bool MayManage(Caller caller, string communityPath) =>
        caller.AdministersAt(communityPath) || caller.Holds(Role.PartySecretary, communityPath);
}
