using System.Text.Json;
using Deliberate.Server.Api;
using Deliberate.Server.Meetings;
using Deliberate.Server.Notices;
using Deliberate.Server.Voting;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Data;

/// <summary>
/// Demo: 幸福里社区's last four-party joint meeting, closed with its minutes approved, and the owners' vote
/// of 3号楼 on the elevator that the meeting sent to them — counted by the same code as every ballot.
/// </summary>
public static class DemoMeeting
{
    public static async Task SeedAsync(DeliberateDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.UserName, ct);
        Guid User(string name) => users[name].Id;
        // The meeting 28 days ago sent the elevator to 3号楼's owners; the committee announced the vote that evening, voting
        // opened 18 days later (the law's 15 full days of notice in between) and closed 3 days ago.
        var day = new DateTimeOffset(ChinaTime.Local(now).Date, ChinaTime.Offset).AddDays(-28);
        var startsAt = day.AddHours(14.5).ToUniversalTime(); // stored times are UTC (PostgreSQL insists)

        var meeting = new Meeting(Guid.CreateVersion7(startsAt), DemoData.Ids.Xingfuli, MeetingType.FourParty, MeetingForm.Collective,
            "幸福里社区四方联席会议", "幸福里社区党群服务中心二楼红色议事厅", startsAt, User("secretary"), startsAt.AddDays(-4));
        meeting.Edit(meeting.Title, meeting.Place, startsAt, "刘书记", User("secretary"), "孙主任", User("residents-committee"));
        var members = new (string Party, string Name, string? User, Attendance Attendance)[]
        {
            ("partyOrganisation", "刘书记", "secretary", Attendance.Present),
            ("residentsCommittee", "孙主任", "residents-committee", Attendance.Present),
            ("ownersCommittee", "周主任", "owners-committee", Attendance.Present),
            ("propertyCompany", "吴经理", "property", Attendance.Present),
            ("residentRepresentatives", "陈晓燕", "resident", Attendance.Present),
            ("residentRepresentatives", "王建国", "owner-xf-1-101", Attendance.OnLeave),
        };
        var participants = members.Select(m => (m, p: meeting.AddParticipant(Guid.CreateVersion7(startsAt), m.Party, m.Name, ParticipantRole.Member,
            m.User is null ? null : User(m.User)))).ToList();
        var invitee = meeting.AddParticipant(Guid.CreateVersion7(startsAt), "streetOffice", "郑科长", ParticipantRole.Invitee, User("street"));
        var elevator = meeting.AddAgendaItem(Guid.CreateVersion7(startsAt), "3号楼加装电梯方案及费用分摊", "3号楼居民提出加装电梯，需议定方案并按重大事项交业主表决。", null);
        var parking = meeting.AddAgendaItem(Guid.CreateVersion7(startsAt), "小区停车管理及收费标准调整", "夜间乱停车堵塞消防通道，物业提出重新划线并调整收费。", null);

        meeting.Convene(startsAt.AddDays(-4));
        meeting.Open(startsAt);
        foreach (var (m, p) in participants) meeting.RecordAttendance(p.Id, m.Attendance);
        meeting.RecordAttendance(invitee.Id, Attendance.InAttendance);

        var secretary = User("secretary");
        void Opinion(AgendaItem item, string party, string speaker, string text) =>
            meeting.AddOpinion(Guid.CreateVersion7(startsAt), item.Id, party, speaker, text, secretary, startsAt.AddMinutes(30));
        Opinion(elevator, "partyOrganisation", "刘书记", "支持加装，先做好低楼层住户的沟通，方案须经3号楼业主依法表决。");
        Opinion(elevator, "ownersCommittee", "周主任", "同意按楼层系数分摊费用，申请使用维修资金须另行表决。");
        Opinion(elevator, "propertyCompany", "吴经理", "可配合施工和后期维保，维保费用建议纳入物业费单列。");
        Opinion(elevator, "residentRepresentatives", "陈晓燕", "高层老人出行困难，希望尽快实施；低楼层住户关心采光和噪声。");
        Opinion(parking, "propertyCompany", "吴经理", "建议重新划线增加 12 个车位，临时停车按小时收费。");
        Opinion(parking, "residentsCommittee", "孙主任", "收费调整须先召开听证会，听取居民意见。");
        Opinion(parking, "ownersCommittee", "周主任", "同意划线，收费标准待听证后再议。");
        var motion = meeting.AddMotion(Guid.CreateVersion7(startsAt), elevator.Id, "3号楼加装电梯方案（按楼层系数分摊费用）提交3号楼业主表决", "业委会", startsAt.AddHours(1));
        // A four-party resolution records every present party's position and the consensus.
        var agreed = new Consultative(meeting.PresentMembers().Select(p => p.Party).Distinct()
            .Select(p => (p, PartyPosition.Agree, (string?)null)).ToList(), true, null);
        meeting.AddResolution(Guid.CreateVersion7(startsAt), elevator.Id, "加装电梯方案按重大事项提交3号楼业主表决，并做好低楼层住户沟通", "业委会",
            DateOnly.FromDateTime(startsAt.AddDays(15).Date), agreed);
        meeting.AddResolution(Guid.CreateVersion7(startsAt), parking.Id, "重新施划停车位并清理消防通道", "物业公司",
            DateOnly.FromDateTime(startsAt.AddDays(14).Date), agreed);
        meeting.AddResolution(Guid.CreateVersion7(startsAt), parking.Id, "组织召开停车收费听证会", "居委会",
            DateOnly.FromDateTime(startsAt.AddDays(30).Date), agreed);
        meeting.Close(startsAt.AddHours(2.25));
        meeting.ApproveMinutes();
        db.Meetings.Add(meeting);

        // The owners of 3号楼 voted on the elevator: a major matter under 民法典 Art. 278.
        var building = await db.OrgUnits.FirstAsync(o => o.Id == DemoData.Ids.Building(DemoData.Ids.Xingfuli, 3), ct);
        var announcedAt = startsAt.AddHours(4.5); // 19:00 Beijing, after the meeting closed
        var opensAt = day.AddDays(18).AddHours(8).ToUniversalTime();
        var ballot = new Ballot(Guid.CreateVersion7(announcedAt), building.Id, "3号楼加装电梯方案（按楼层系数分摊费用）", "联席会议议定提交3号楼业主表决。",
            TallyRules.CivilCode278Major, null, secret: false, allowRevote: false, deemedConsent: false, opensAt, opensAt.AddDays(7),
            meeting.Id, elevator.Id, null, User("owners-committee"), announcedAt, ProposalKinds.Rebuilding,
            organiserBody: OrganiserBody.OwnersCommittee, organiserName: "周主任",
            proposal: new BallotProposal(motion.Text, "高层老人上下楼困难，加装电梯是“我为群众办实事”的重点项目", null, motion.ProposedBy, motion.Id));
        db.Ballots.Add(ballot);
        db.Notices.Add(BallotAnnouncement.Notice(ballot, DemoData.Ids.Xingfuli, announcedAt));
        ballot.Open(opensAt);
        motion.PutToVote(ballot.Id);
        var units = await BallotCounting.SnapshotAsync(db, ballot.Id, building, ct);
        var heads = units.GroupBy(u => u.HeadKey).OrderBy(g => g.Min(u => u.Number)).ToList();
        var choices = new[] { "agree", "agree", "agree", "disagree", "agree", "agree", "agree", "abstain", "agree", "agree" }; // 10 of 12 heads vote
        for (var i = 0; i < choices.Length; i++)
        {
            // Closed already: its choices as published at the close (receipt hash and choice, no area).
            db.BallotChoices.Add(new BallotChoice(ballot.Id, choices[i], BallotCounting.HashReceipt(BallotCounting.NewReceipt())));
            var owner = Guid.Parse(heads[i].First().Owners.Split(',')[0]);
            var voter = users.Values.FirstOrDefault(u => u.OwnerId == owner);
            db.BallotParticipations.Add(new BallotParticipation(Guid.CreateVersion7(opensAt), ballot.Id, heads[i].Key, voter?.Id, owner,
                VoteChannel.Online, null, voter?.Id ?? User("owners-committee"), opensAt.AddHours(2 + i), choices[i]));
        }
        await db.SaveChangesAsync(ct);

        var result = Tally.Count(await BallotCounting.InputAsync(db, ballot, ct));
        ballot.Close(ballot.ClosesAt, result.Outcome, JsonSerializer.Serialize(result, JsonSerializerOptions.Web));
        db.Notices.Add(new Notice(Guid.CreateVersion7(ballot.ClosesAt), DemoData.Ids.Xingfuli, NoticeKind.BallotResult, $"表决结果公告：{ballot.Title}",
            $"3号楼业主依民法典第二百七十八条对加装电梯方案进行表决，结果：{BallotCounting.OutcomeName(result.Outcome).Zh}。", ballot.ClosesAt,
            Notice.EndOfDays(ballot.ClosesAt, 7), null, meeting.Id, ballot.Id, User("owners-committee")));
        await db.SaveChangesAsync(ct);
        await SeedOpenBallotAsync(db, now, User("owners-committee"), ct);
    }

    /// <summary>
    /// Something to vote on at once: 幸福里社区's owners' ballot, announced 18 days before the demo began (the notice period
    /// really ran before the demo, so the seed sets past dates, which the API refuses), open since 3 days, closing in 7 days;
    /// secret, and an owner may change their vote until the close.
    /// </summary>
    static async Task SeedOpenBallotAsync(DeliberateDbContext db, DateTimeOffset now, Guid committee, CancellationToken ct)
    {
        var community = await db.OrgUnits.FirstAsync(o => o.Id == DemoData.Ids.Xingfuli, ct);
        var announcedAt = now.AddDays(-18);
        var ballot = new Ballot(OpenBallotId, community.Id, OpenBallotTitle,
            "物业公司提议在东门岗亭旁增设智能快递柜一组，场地使用费计入业主共有部分收益。请全体业主在投票期内表决。",
            TallyRules.CivilCode278Major, null, secret: true, allowRevote: true, deemedConsent: false, announcedAt.AddDays(15), now.AddDays(7),
            null, null, null, committee, announcedAt, ProposalKinds.CommonPartsUse,
            organiserBody: OrganiserBody.OwnersCommittee, organiserName: "周主任",
            // What the owners vote on, as announced (issue 17 §4): the text, why, the cost and who proposed it.
            proposal: new BallotProposal("在东门岗亭旁增设智能快递柜一组，场地使用费每年约3,600元计入业主共有部分收益",
                "快递堆放在岗亭占用通道，老人取件不便", 3600m, "吴经理（物业公司）", null));
        ballot.Open(now);
        db.Ballots.Add(ballot);
        await BallotCounting.SnapshotAsync(db, ballot.Id, community, ct);
        db.Notices.Add(BallotAnnouncement.Notice(ballot, community.Id, announcedAt));
        await db.SaveChangesAsync(ct);
    }

    public static readonly Guid OpenBallotId = new("0d000000-0000-7000-8000-0000000b0001");
    public const string OpenBallotTitle = "是否同意在小区东门增设智能快递柜";
}
