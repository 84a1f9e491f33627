using Deliberate.Server.Consultations;
using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;

namespace Deliberate.Tests.Consultations;

/// <summary>Whom an answer is for, decided by the consultation's access type alone (no endpoint, no database).</summary>
public class ConsultationAccessTests
{
    const string Community = "/d/s/c/";
    const string Building = "/d/s/c/g/b/";
    static readonly DateTimeOffset Opens = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);

    static Caller As(Guid id, params Grant[] grants) => new() { Id = id, UserName = "u", DisplayName = "u", Grants = grants };
    static Grant Resident(string path) => new(Role.Resident, Guid.NewGuid(), path, OrgLevel.Building, "3号楼");
    static Grant Holder(Role role) => new(role, Guid.NewGuid(), Community, OrgLevel.Community, "幸福里社区");

    static Consultation With(params ConsultationInvitee[] invitees)
    {
        var consultation = new Consultation(Guid.NewGuid(), Guid.NewGuid(), "加装电梯", "是否同意？", Opens, Opens.AddDays(3), null,
            null, null, Guid.NewGuid());
        foreach (var i in invitees) consultation.Invitees.Add(new ConsultationInvitee(i.Id, consultation.Id, i.Party, i.Name, i.UserId));
        return consultation;
    }

    static ConsultationInvitee Invitee(string party, Guid? userId) => new(Guid.NewGuid(), Guid.Empty, party, party, userId);

    static (int Status, string Code) Refusal(Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? refused) =>
        (refused!.ProblemDetails.Status!.Value, (string)refused.ProblemDetails.Extensions["code"]!);

    [Fact]
    public void A_user_invited_once_answers_for_their_own_entry_without_naming_it()
    {
        var me = Guid.NewGuid();
        var consultation = With(Invitee("propertyCompany", me), Invitee("ownersCommittee", null));
        var (invitee, refused) = ConsultationAccess.WhomAnswers(As(me), consultation, null, Community, null);
        Assert.Null(refused);
        Assert.Equal(me, invitee!.UserId);
    }

    [Fact]
    public void A_resident_of_the_scope_who_is_also_invited_answers_as_a_resident_unless_they_name_the_entry()
    {
        var me = Guid.NewGuid();
        var consultation = With(Invitee("propertyCompany", me));
        var caller = As(me, Resident(Building));
        Assert.Equal((null, null), ConsultationAccess.WhomAnswers(caller, consultation, null, Community, Building));
        Assert.Same(consultation.Invitees[0],
            ConsultationAccess.WhomAnswers(caller, consultation, consultation.Invitees[0], Community, Building).For);
    }

    [Fact]
    public void A_holder_of_a_party_role_must_say_which_invitee_they_answer_for()
    {
        var consultation = With(Invitee("ownersCommittee", null));
        var (_, refused) = ConsultationAccess.WhomAnswers(As(Guid.NewGuid(), Holder(Role.OwnersCommittee)), consultation, null, Community, null);
        Assert.Equal((400, "inviteeRequired"), Refusal(refused));
    }

    [Fact]
    public void Someone_neither_invited_nor_living_in_the_scope_is_not_invited()
    {
        var consultation = With(Invitee("propertyCompany", Guid.NewGuid()));
        var (_, refused) = ConsultationAccess.WhomAnswers(As(Guid.NewGuid(), Resident("/d/s/other/")), consultation, null, Community, Building);
        Assert.Equal((403, "notInvited"), Refusal(refused));
    }

    [Fact]
    public void Naming_another_users_entry_is_refused()
    {
        var consultation = With(Invitee("propertyCompany", Guid.NewGuid()));
        var (_, refused) = ConsultationAccess.WhomAnswers(As(Guid.NewGuid(), Holder(Role.PropertyCompany)), consultation,
            consultation.Invitees[0], Community, null);
        Assert.Equal((403, "notInvitee"), Refusal(refused));
    }
}
