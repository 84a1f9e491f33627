using Deliberate.Server.Consultations;
using Deliberate.Server.Meetings;

namespace Deliberate.Tests.Meetings;

/// <summary>A written consultation's window and its one answer each, on the entity alone.</summary>
public class ConsultationGuardTests
{
    static readonly DateTimeOffset Opens = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);
    static readonly DateTimeOffset Closes = Opens.AddDays(3);

    static Consultation WithInvitees(out ConsultationInvitee property, out ConsultationInvitee committee)
    {
        var consultation = new Consultation(Guid.NewGuid(), Guid.NewGuid(), "加装电梯", "是否同意加装电梯？", Opens, Closes, null, null, null, Guid.NewGuid());
        property = new ConsultationInvitee(Guid.NewGuid(), consultation.Id, "propertyCompany", "吴经理", Guid.NewGuid());
        committee = new ConsultationInvitee(Guid.NewGuid(), consultation.Id, "ownersCommittee", "业委会", null);
        consultation.Invitees.AddRange([property, committee]);
        return consultation;
    }

    static string CodeOf(Action action) => Assert.Throws<MeetingRuleException>(action).Code;

    [Fact]
    public void A_window_that_ends_before_it_starts_is_refused() =>
        Assert.Equal("badWindow",
            CodeOf(() => new Consultation(Guid.NewGuid(), Guid.NewGuid(), "t", "q", Opens, Opens, null, null, null, Guid.NewGuid())));

    [Fact]
    public void Each_invitee_answers_once_and_each_resident_once()
    {
        var consultation = WithInvitees(out var property, out _);
        consultation.Answer(Guid.NewGuid(), property.Id, property.UserId!.Value, ConsultationPosition.Agree, null, Opens.AddHours(1));
        Assert.Equal("alreadyAnswered", CodeOf(() =>
            consultation.Answer(Guid.NewGuid(), property.Id, Guid.NewGuid(), ConsultationPosition.Disagree, null, Opens.AddHours(2))));

        var resident = Guid.NewGuid();
        consultation.Answer(Guid.NewGuid(), null, resident, ConsultationPosition.Comment, "注意噪音", Opens.AddHours(1));
        Assert.Equal("alreadyAnswered",
            CodeOf(() => consultation.Answer(Guid.NewGuid(), null, resident, ConsultationPosition.Agree, null, Opens.AddHours(2))));
        // The same person may still answer for a party they are invited for.
        consultation.Answer(Guid.NewGuid(), consultation.Invitees[1].Id, resident, ConsultationPosition.Abstain, null, Opens.AddHours(2));
        Assert.Equal(3, consultation.Responses.Count);
    }

    [Fact]
    public void Answers_are_taken_only_within_the_window()
    {
        var consultation = WithInvitees(out var property, out _);
        Assert.Equal("consultationNotOpen",
            CodeOf(() => consultation.Answer(Guid.NewGuid(), property.Id, Guid.NewGuid(), ConsultationPosition.Agree, null, Opens.AddMinutes(-1))));
        Assert.Equal("consultationClosed",
            CodeOf(() => consultation.Answer(Guid.NewGuid(), property.Id, Guid.NewGuid(), ConsultationPosition.Agree, null, Closes)));
        consultation.Answer(Guid.NewGuid(), property.Id, Guid.NewGuid(), ConsultationPosition.Agree, null, Closes.AddTicks(-1));
    }

    [Fact]
    public void A_closed_consultation_takes_no_answer_even_before_its_deadline_and_closing_twice_keeps_the_first_time()
    {
        var consultation = WithInvitees(out var property, out _);
        consultation.Close(Opens.AddHours(5));
        consultation.Close(Opens.AddHours(6));
        Assert.Equal(Opens.AddHours(5), consultation.ClosedAt);
        Assert.False(consultation.IsOpenAt(Opens.AddHours(7)));
        Assert.Equal("consultationClosed",
            CodeOf(() => consultation.Answer(Guid.NewGuid(), property.Id, Guid.NewGuid(), ConsultationPosition.Agree, null, Opens.AddHours(7))));
    }

    [Fact]
    public void An_answer_for_someone_not_invited_is_refused()
    {
        var consultation = WithInvitees(out _, out _);
        Assert.Equal("unknownInvitee",
            CodeOf(() => consultation.Answer(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), ConsultationPosition.Agree, null, Opens.AddHours(1))));
        Assert.Empty(consultation.Responses);
    }
}
