using Deliberate.Server.Meetings;

namespace Deliberate.Tests.Meetings;

/// <summary>The meeting's state machine and its rules of procedure, on the entity alone.</summary>
public class MeetingGuardTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero); // 09:00 in Beijing

    static Meeting Draft(MeetingType type = MeetingType.FourParty, DateTimeOffset? startsAt = null, bool chair = true,
        bool members = true, bool agenda = true)
    {
        var meeting = new Meeting(Guid.NewGuid(), Guid.NewGuid(), type, MeetingForm.Collective, "四方联席会议", "社区议事厅",
            startsAt ?? Now.AddHours(2), Guid.NewGuid(), Now);
        if (chair) meeting.Edit(meeting.Title, meeting.Place, meeting.StartsAt, "刘书记", null, "孙主任", null);
        if (members)
        {
            meeting.AddParticipant(Guid.NewGuid(), "partyOrganisation", "刘书记", ParticipantRole.Member, Guid.NewGuid());
            meeting.AddParticipant(Guid.NewGuid(), "propertyCompany", "吴经理", ParticipantRole.Member, null);
            // A four-party meeting convenes only with each of the four parties invited.
            if (type == MeetingType.FourParty)
            {
                meeting.AddParticipant(Guid.NewGuid(), "residentsCommittee", "孙主任", ParticipantRole.Member, null);
                meeting.AddParticipant(Guid.NewGuid(), "ownersCommittee", "周主任", ParticipantRole.Member, null);
            }
        }
        if (agenda) meeting.AddAgendaItem(Guid.NewGuid(), "3号楼路灯", null, null);
        return meeting;
    }

    static Meeting InSession()
    {
        var meeting = Draft();
        meeting.Convene(Now);
        meeting.Open(Now.AddHours(2));
        return meeting;
    }

    static string CodeOf(Action action) => Assert.Throws<MeetingRuleException>(action).Code;

    [Fact]
    public void A_motion_is_withdrawn_only_before_it_is_put_to_a_vote_and_a_withdrawn_motion_is_never_put_to_one()
    {
        var meeting = InSession();
        var item = meeting.Agenda[0].Id;
        var voted = meeting.AddMotion(Guid.NewGuid(), item, "更换路灯", "周主任", Now);
        voted.PutToVote(Guid.NewGuid());
        Assert.Equal("alreadyVoted", CodeOf(() => meeting.WithdrawMotion(item, voted.Id, Now)));
        var withdrawn = meeting.AddMotion(Guid.NewGuid(), item, "由物业公司垫付维修费用", "吴经理", Now);
        meeting.WithdrawMotion(item, withdrawn.Id, Now.AddMinutes(5));
        Assert.Equal(Now.AddMinutes(5), withdrawn.WithdrawnAt);
        Assert.Equal("motionWithdrawn", CodeOf(() => withdrawn.PutToVote(Guid.NewGuid())));
        Assert.Equal("motionWithdrawn", CodeOf(() => meeting.WithdrawMotion(item, withdrawn.Id, Now)));
    }

    [Fact]
    public void A_meeting_goes_from_draft_through_notice_and_session_to_approved_minutes()
    {
        var meeting = Draft();
        meeting.Convene(Now);
        Assert.Equal(MeetingState.Convened, meeting.State);
        Assert.Equal(Now, meeting.ConvenedAt);

        meeting.Open(Now.AddHours(2));
        Assert.Equal(MeetingState.InSession, meeting.State);
        foreach (var p in meeting.Participants) meeting.RecordAttendance(p.Id, Attendance.Present);
        meeting.Close(Now.AddHours(3));
        Assert.Equal(MeetingState.Closed, meeting.State);
        Assert.Equal(Now.AddHours(3), meeting.EndsAt);

        meeting.ApproveMinutes();
        Assert.Equal(MeetingState.MinutesApproved, meeting.State);
    }

    [Fact]
    public void Convening_without_an_agenda_is_refused() => Assert.Equal("emptyAgenda", CodeOf(() => Draft(agenda: false).Convene(Now)));

    [Fact]
    public void Convening_without_a_chair_and_a_recorder_is_refused() => Assert.Equal("noChair", CodeOf(() => Draft(chair: false).Convene(Now)));

    [Fact]
    public void Convening_without_members_is_refused() => Assert.Equal("noMembers", CodeOf(() => Draft(members: false).Convene(Now)));

    [Fact]
    public void Convening_a_meeting_whose_time_has_passed_is_refused() =>
        Assert.Equal("startsInPast", CodeOf(() => Draft(startsAt: Now.AddMinutes(-1)).Convene(Now)));

    [Theory]
    [InlineData(14, false)]
    [InlineData(15, true)]
    public void An_owners_assembly_needs_fifteen_days_notice(int daysAhead, bool allowed)
    {
        var meeting = Draft(MeetingType.OwnersAssembly, startsAt: Now.AddDays(daysAhead));
        if (allowed)
        {
            meeting.Convene(Now);
            Assert.Equal(MeetingState.Convened, meeting.State);
        }
        else
        {
            var refusal = Assert.Throws<MeetingRuleException>(() => meeting.Convene(Now));
            Assert.Equal("noticeTooShort", refusal.Code);
            Assert.Contains("15", refusal.MessageZh);
            Assert.Contains("2026-11-17 09:00", refusal.MessageEn); // shown in Beijing time
            Assert.Equal(MeetingState.Draft, meeting.State);
        }
    }

    [Fact]
    public void Items_on_the_agenda_at_the_notice_are_announced_and_later_ones_are_not()
    {
        var meeting = Draft(MeetingType.OwnersAssembly, startsAt: Now.AddDays(16));
        meeting.Convene(Now);
        var late = meeting.AddAgendaItem(Guid.NewGuid(), "临时动议：增设充电桩", null, null);

        Assert.True(meeting.Agenda[0].Announced);
        Assert.False(late.Announced);
        Assert.True(meeting.Agenda[0].IsVotableIn(MeetingType.OwnersAssembly));
        Assert.False(late.IsVotableIn(MeetingType.OwnersAssembly));
        Assert.True(late.IsVotableIn(MeetingType.OwnersCommittee)); // other bodies vote on any item of theirs
        Assert.False(late.IsVotableIn(MeetingType.FourParty));      // a four-party meeting consults and takes no vote
        Assert.Equal(2, late.Order);
    }

    [Fact]
    public void An_owners_assembly_cannot_put_a_motion_on_an_unannounced_item_to_a_vote()
    {
        var meeting = Draft(MeetingType.OwnersAssembly, startsAt: Now.AddDays(16));
        meeting.Convene(Now);
        var late = meeting.AddAgendaItem(Guid.NewGuid(), "临时动议", null, null);
        meeting.Open(Now.AddDays(16));
        var onLate = meeting.AddMotion(Guid.NewGuid(), late.Id, "增设充电桩", "业委会", Now);
        var onAnnounced = meeting.AddMotion(Guid.NewGuid(), meeting.Agenda[0].Id, "更换路灯", "业委会", Now);

        Assert.Equal("notAnnounced", CodeOf(() => meeting.PutMotionToVote(onLate.Id, Guid.NewGuid())));
        Assert.Null(onLate.BallotId);
        var ballot = Guid.NewGuid();
        meeting.PutMotionToVote(onAnnounced.Id, ballot);
        Assert.Equal(ballot, onAnnounced.BallotId);
        Assert.Equal("alreadyVoted", CodeOf(() => meeting.PutMotionToVote(onAnnounced.Id, Guid.NewGuid())));
    }

    [Fact]
    public void Opening_more_than_half_an_hour_early_is_refused_and_half_an_hour_is_allowed()
    {
        var meeting = Draft(startsAt: Now.AddHours(2));
        meeting.Convene(Now);
        Assert.Equal("tooEarly", CodeOf(() => meeting.Open(Now.AddHours(2).AddMinutes(-31))));
        meeting.Open(Now.AddHours(2).AddMinutes(-30));
        Assert.Equal(MeetingState.InSession, meeting.State);
    }

    [Fact]
    public void Closing_with_a_members_attendance_unrecorded_is_refused_but_invitees_need_none()
    {
        var meeting = Draft();
        meeting.AddParticipant(Guid.NewGuid(), "streetOffice", "郑科长", ParticipantRole.Invitee, null);
        meeting.Convene(Now);
        meeting.Open(Now.AddHours(2));
        var members = meeting.Participants.Where(p => p.Role == ParticipantRole.Member).ToList();
        meeting.RecordAttendance(members[0].Id, Attendance.Present);

        Assert.Equal("attendanceMissing", CodeOf(() => meeting.Close(Now.AddHours(3))));
        Assert.Equal(MeetingState.InSession, meeting.State);
        foreach (var member in members.Skip(1)) meeting.RecordAttendance(member.Id, Attendance.OnLeave);
        meeting.Close(Now.AddHours(3));
        Assert.Equal(MeetingState.Closed, meeting.State);
    }

    [Fact]
    public void Attendance_cannot_be_recorded_on_a_draft_nor_set_back_to_unrecorded()
    {
        var draft = Draft();
        Assert.Equal("badState", CodeOf(() => draft.RecordAttendance(draft.Participants[0].Id, Attendance.Present)));
        var meeting = InSession();
        Assert.Equal("badAttendance", CodeOf(() => meeting.RecordAttendance(meeting.Participants[0].Id, Attendance.Unrecorded)));
        Assert.Equal("unknownParticipant", CodeOf(() => meeting.RecordAttendance(Guid.NewGuid(), Attendance.Present)));
    }

    [Fact]
    public void Opinions_motions_and_resolutions_are_recorded_only_in_session()
    {
        var convened = Draft();
        convened.Convene(Now);
        var item = convened.Agenda[0].Id;
        Assert.Equal("badState", CodeOf(() => convened.AddOpinion(Guid.NewGuid(), item, "propertyCompany", null, "同意", Guid.NewGuid(), Now)));
        Assert.Equal("badState", CodeOf(() => convened.AddMotion(Guid.NewGuid(), item, "更换路灯", "物业", Now)));
        Assert.Equal("badState", CodeOf(() => convened.AddResolution(Guid.NewGuid(), item, "更换路灯", "物业公司", new DateOnly(2026, 11, 30))));

        convened.Open(Now.AddHours(2));
        foreach (var p in convened.Participants) convened.RecordAttendance(p.Id, Attendance.Present); // the quorum, to decide
        convened.AddOpinion(Guid.NewGuid(), item, "propertyCompany", "吴经理", "本周内更换", Guid.NewGuid(), Now);
        convened.AddMotion(Guid.NewGuid(), item, "更换路灯", "物业", Now);
        convened.AddResolution(Guid.NewGuid(), item, "更换路灯", "物业公司", new DateOnly(2026, 11, 30));
        Assert.Single(convened.Agenda[0].Opinions);
        Assert.Single(convened.Agenda[0].Motions);
        Assert.Single(convened.Resolutions);

        convened.Close(Now.AddHours(3));
        Assert.Equal("badState", CodeOf(() => convened.AddResolution(Guid.NewGuid(), null, "补充", "居委会", new DateOnly(2026, 11, 30))));
    }

    [Fact]
    public void Without_its_quorum_a_meeting_discusses_but_records_no_resolution_and_puts_no_motion_to_a_vote()
    {
        var meeting = InSession();
        var item = meeting.Agenda[0].Id;
        meeting.RecordAttendance(meeting.Participants[0].Id, Attendance.Present);
        meeting.RecordAttendance(meeting.Participants[1].Id, Attendance.Absent); // 1 of 4 parties: a majority needs 3
        meeting.AddOpinion(Guid.NewGuid(), item, "partyOrganisation", "刘书记", "尽快更换", Guid.NewGuid(), Now);
        var motion = meeting.AddMotion(Guid.NewGuid(), item, "更换路灯", "刘书记", Now);

        var refused = Assert.Throws<MeetingRuleException>(() =>
            meeting.AddResolution(Guid.NewGuid(), item, "更换路灯", "物业公司", new DateOnly(2026, 11, 30)));
        Assert.Equal("quorumNotMet", refused.Code);
        Assert.Contains("刘书记（社区党组织）", refused.MessageZh);
        Assert.Contains("至少 3 方", refused.MessageZh);
        Assert.Contains("at least 3 of 4 parties", refused.MessageEn);
        Assert.Equal("quorumNotMet", CodeOf(() => meeting.PutMotionToVote(motion.Id, Guid.NewGuid())));
        Assert.Empty(meeting.Resolutions);
        Assert.Null(motion.BallotId);
    }

    [Fact]
    public void An_owners_assembly_leaves_the_quorum_to_its_ballot_so_the_meeting_guard_lets_it_vote()
    {
        var meeting = Draft(MeetingType.OwnersAssembly, startsAt: Now.AddDays(16));
        meeting.Convene(Now);
        meeting.Open(Now.AddDays(16));
        meeting.EnsureQuorum(); // nobody recorded yet: Art. 278 counts the ballot, not the room
    }

    [Fact]
    public void Adjourning_ends_the_session_without_decisions_and_convenes_it_again_at_the_new_time_with_attendance_cleared()
    {
        var meeting = InSession();
        meeting.RecordAttendance(meeting.Participants[0].Id, Attendance.Present);
        Assert.Equal("startsInPast", CodeOf(() => meeting.Adjourn(Now.AddHours(1), Now.AddHours(2))));

        meeting.Adjourn(Now.AddDays(7), Now.AddHours(2));
        Assert.Equal((MeetingState.Convened, Now.AddDays(7), (DateTimeOffset?)null), (meeting.State, meeting.StartsAt, meeting.OpenedAt));
        Assert.All(meeting.Participants, p => Assert.Equal(Attendance.Unrecorded, p.Attendance));
        Assert.Equal("badState", CodeOf(() => meeting.Adjourn(Now.AddDays(8), Now.AddHours(2)))); // only a session adjourns

        meeting.Open(Now.AddDays(7));
        foreach (var p in meeting.Participants) meeting.RecordAttendance(p.Id, Attendance.Present);
        meeting.AddResolution(Guid.NewGuid(), null, "更换路灯", "物业公司", new DateOnly(2026, 11, 30));
        Assert.Equal("decisionsTaken", CodeOf(() => meeting.Adjourn(Now.AddDays(9), Now.AddDays(7))));
    }

    [Fact]
    public void Opinions_and_resolutions_must_name_an_item_of_this_meeting()
    {
        var meeting = InSession();
        Assert.Equal("unknownAgendaItem",
            CodeOf(() => meeting.AddOpinion(Guid.NewGuid(), Guid.NewGuid(), "propertyCompany", null, "同意", Guid.NewGuid(), Now)));
        Assert.Equal("unknownAgendaItem",
            CodeOf(() => meeting.AddResolution(Guid.NewGuid(), Guid.NewGuid(), "更换路灯", "物业公司", new DateOnly(2026, 11, 30))));
    }

    [Fact]
    public void A_noticed_meetings_time_moves_only_by_rescheduling_and_participants_change_only_before_the_session()
    {
        var meeting = Draft();
        meeting.Convene(Now);
        Assert.Equal("useReschedule", CodeOf(() => meeting.Edit("新名称", "别处", meeting.StartsAt.AddDays(1), "刘书记", null, "孙主任", null)));
        meeting.Edit("新名称", "别处", meeting.StartsAt, "刘书记", null, "孙主任", null, Now);
        Assert.Equal("别处", meeting.Place);
        var invitee = meeting.AddParticipant(Guid.NewGuid(), "streetOffice", "郑科长", ParticipantRole.Invitee, null);
        Assert.Same(invitee, meeting.RemoveParticipant(invitee.Id));

        meeting.Open(Now.AddHours(2));
        Assert.Equal("badState", CodeOf(() => meeting.AddParticipant(Guid.NewGuid(), "other", "来宾", ParticipantRole.Invitee, null)));
        Assert.Equal("badState", CodeOf(() => meeting.RemoveParticipant(meeting.Participants[0].Id)));
    }

    [Fact]
    public void A_user_is_on_the_list_once_and_a_matter_on_the_agenda_once()
    {
        var meeting = Draft();
        var user = Guid.NewGuid();
        meeting.AddParticipant(Guid.NewGuid(), "ownersCommittee", "周主任", ParticipantRole.Member, user);
        Assert.Equal("alreadyParticipant",
            CodeOf(() => meeting.AddParticipant(Guid.NewGuid(), "ownersCommittee", "周主任", ParticipantRole.Invitee, user)));

        var matter = Guid.NewGuid();
        meeting.AddAgendaItem(Guid.NewGuid(), "路灯", null, matter);
        Assert.Equal("matterOnAgenda", CodeOf(() => meeting.AddAgendaItem(Guid.NewGuid(), "路灯（再议）", null, matter)));
    }

    [Fact]
    public void Nothing_moves_a_closed_meeting_back()
    {
        var meeting = InSession();
        foreach (var p in meeting.Participants) meeting.RecordAttendance(p.Id, Attendance.Present);
        meeting.Close(Now.AddHours(3));
        Assert.Equal("badState", CodeOf(() => meeting.Open(Now.AddHours(4))));
        Assert.Equal("badState", CodeOf(() => meeting.Convene(Now.AddHours(4))));
        Assert.Equal("badState", CodeOf(() => meeting.Close(Now.AddHours(4))));
        Assert.Equal("badState", CodeOf(() => meeting.AddAgendaItem(Guid.NewGuid(), "补充议题", null, null)));
        Assert.Equal("badState", CodeOf(() => Draft().ApproveMinutes()));
    }

    [Fact]
    public void Times_are_kept_in_utc_whatever_offset_they_come_in()
    {
        var beijing = new DateTimeOffset(2026, 11, 5, 15, 0, 0, TimeSpan.FromHours(8));
        var meeting = new Meeting(Guid.NewGuid(), Guid.NewGuid(), MeetingType.FourParty, MeetingForm.Collective, "会", "厅",
            beijing, Guid.NewGuid(), Now);
        Assert.Equal(TimeSpan.Zero, meeting.StartsAt.Offset);
        Assert.Equal(beijing, meeting.StartsAt);
    }
}
