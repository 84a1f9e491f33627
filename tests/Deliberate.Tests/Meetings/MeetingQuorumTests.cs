using Deliberate.Server.Meetings;

namespace Deliberate.Tests.Meetings;

/// <summary>应到, 实到 and the quorum of each type of meeting.</summary>
public class MeetingQuorumTests
{
    static List<MeetingParticipant> Members(params (string Party, Attendance Attendance)[] members) =>
        members.Select(m =>
        {
            var p = new MeetingParticipant(Guid.NewGuid(), Guid.Empty, m.Party, "某人", ParticipantRole.Member, null);
            p.Record(m.Attendance);
            return p;
        }).ToList();

    static List<MeetingParticipant> Count(int members, int present) =>
        Members(Enumerable.Range(0, members).Select(i => ("ownersCommittee", i < present ? Attendance.Present : Attendance.Absent)).ToArray());

    [Fact]
    public void A_four_party_meeting_has_its_quorum_when_more_than_half_of_the_invited_parties_have_someone_present()
    {
        // Four parties invited; the owners' committee sent two, both absent; the property company is on leave.
        var participants = Members(
            ("partyOrganisation", Attendance.Present), ("residentsCommittee", Attendance.Present),
            ("ownersCommittee", Attendance.Absent), ("ownersCommittee", Attendance.Absent), ("propertyCompany", Attendance.OnLeave));
        var quorum = MeetingQuorum.For(MeetingType.FourParty, participants);
        Assert.Equal(("majorityOfParties", 2, 4, 3, false), (quorum.Rule, quorum.Counted, quorum.Of, quorum.Required!.Value, quorum.Met!.Value));

        participants[2].Record(Attendance.Present);
        Assert.True(MeetingQuorum.For(MeetingType.FourParty, participants).Met);
    }

    [Fact]
    public void Invitees_count_neither_in_the_parties_nor_in_the_members()
    {
        var participants = Members(("partyOrganisation", Attendance.Present), ("propertyCompany", Attendance.Absent));
        var invitee = new MeetingParticipant(Guid.NewGuid(), Guid.Empty, "streetOffice", "郑科长", ParticipantRole.Invitee, null);
        invitee.Record(Attendance.InAttendance);
        participants.Add(invitee);

        var quorum = MeetingQuorum.For(MeetingType.FourParty, participants);
        Assert.Equal((1, 2, false), (quorum.Counted, quorum.Of, quorum.Met!.Value));
        Assert.Equal(2, MeetingQuorum.For(MeetingType.OwnersCommittee, participants).Of);
    }

    [Theory]
    [InlineData(MeetingType.OwnersCommittee, 7, 4, true)]
    [InlineData(MeetingType.OwnersCommittee, 7, 3, false)]
    [InlineData(MeetingType.OwnersCommittee, 6, 3, false)] // exactly half is not more than half
    [InlineData(MeetingType.ResidentsMeeting, 10, 6, true)]
    [InlineData(MeetingType.ResidentsMeeting, 10, 5, false)]
    [InlineData(MeetingType.RepresentativesMeeting, 9, 6, true)] // exactly two thirds is enough
    [InlineData(MeetingType.RepresentativesMeeting, 9, 5, false)]
    [InlineData(MeetingType.RepresentativesMeeting, 10, 7, true)]
    [InlineData(MeetingType.RepresentativesMeeting, 10, 6, false)]
    public void Member_meetings_have_their_quorum_by_their_rule(MeetingType type, int members, int present, bool met)
    {
        var quorum = MeetingQuorum.For(type, Count(members, present));
        Assert.Equal(met, quorum.Met);
        Assert.Equal(present, quorum.Counted);
        Assert.Equal(members, quorum.Of);
    }

    [Fact]
    public void An_owners_assembly_leaves_the_quorum_to_its_ballot()
    {
        var quorum = MeetingQuorum.For(MeetingType.OwnersAssembly, Count(10, 1));
        Assert.Equal("civilCode278", quorum.Rule);
        Assert.Null(quorum.Met);
        Assert.Null(quorum.Required);
    }

    [Fact]
    public void A_meeting_without_members_has_no_quorum()
    {
        Assert.False(MeetingQuorum.For(MeetingType.FourParty, []).Met);
        Assert.False(MeetingQuorum.For(MeetingType.ResidentsMeeting, []).Met);
    }

    [Fact]
    public void Expected_counts_the_members_and_present_those_who_came()
    {
        var meeting = new Meeting(Guid.NewGuid(), Guid.NewGuid(), MeetingType.FourParty, MeetingForm.Collective, "会", "厅",
            DateTimeOffset.UnixEpoch.AddDays(1), Guid.NewGuid(), DateTimeOffset.UnixEpoch);
        meeting.AddParticipant(Guid.NewGuid(), "partyOrganisation", "刘书记", ParticipantRole.Member, null);
        meeting.AddParticipant(Guid.NewGuid(), "propertyCompany", "吴经理", ParticipantRole.Member, null);
        meeting.AddParticipant(Guid.NewGuid(), "streetOffice", "郑科长", ParticipantRole.Invitee, null);
        meeting.Participants[0].Record(Attendance.Present);
        meeting.Participants[2].Record(Attendance.InAttendance);
        Assert.Equal((2, 1), (meeting.Expected, meeting.Present));
    }
}
