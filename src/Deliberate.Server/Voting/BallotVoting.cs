using Deliberate.Server.Api;
using Deliberate.Server.Audit;
using Deliberate.Server.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Voting;

/// <summary>Who votes for a head: the owner's units in the snapshot (owners' votes), or a present member (member votes).</summary>
public sealed record Voter(string HeadKey, IReadOnlyList<string> Units, decimal? Area, Guid? UserId);

/// <summary>
/// One head's vote as it reaches the ballot: cast online by the voter (with, to change a secret vote, their
/// <paramref name="Receipt"/>), or entered by the owners' committee from a proxy or a paper sheet
/// (<paramref name="ProxyName"/>, and the <paramref name="ParticipationId"/> its attachments already name).
/// </summary>
public sealed record HeadVote(Ballot Ballot, Voter Voter, string? Choice, VoteChannel Channel, Guid CastById, Guid? OwnerId,
    string? Receipt = null, string? ProxyName = null, Guid? ParticipationId = null);

/// <summary>
/// Recording votes: who votes for a head, and one head's vote written (or, where allowed, changed) together with its
/// choice sealed into the <see cref="BallotBox"/>. The endpoints of <see cref="BallotsApi"/> decide who may enter it.
/// </summary>
public static class BallotVoting
{
    public static readonly string[] Choices = [TallyChoices.Agree, TallyChoices.Disagree, TallyChoices.Abstain];

    public static async Task<Voter?> VoterAsync(DeliberateDbContext db, Ballot ballot, Guid? userId, Guid? ownerId, CancellationToken ct)
    {
        if (ballot.IsOwnersVote)
        {
            if (ownerId is not { } owner) return null;
            var head = await db.BallotOwners.AsNoTracking().FirstOrDefaultAsync(o => o.BallotId == ballot.Id && o.OwnerId == owner, ct);
            return head is null ? null : new Voter(head.HeadKey, head.HeadUnits.Split(','), head.HeadArea, userId);
        }
        if (userId is null) return null;
        var member = await db.BallotMembers.AsNoTracking().FirstOrDefaultAsync(m => m.BallotId == ballot.Id && m.UserId == userId && m.Present, ct);
        return member is null ? null : new Voter(BallotCounting.MemberHead(member.MemberKey), [], null, userId);
    }

    /// <summary>Records one head's vote, or changes it when the ballot allows: one transaction; a concurrent second ballot of the head is refused by
    /// the database.</summary>
    public static async Task<Results<Ok<VoteReceipt>, ValidationProblem, ProblemHttpResult>> RecordAsync(DeliberateDbContext db,
        AuditKey key, HeadVote vote,
        TimeProvider clock, CancellationToken ct)
    {
        var (ballot, voter, choice, channel, castById, ownerId, receipt, proxyName, participationId) = vote;
        if (choice is null || !Choices.Contains(choice))
        {
            var errors = new FieldErrors();
            errors.Add("choice", "请选择同意（agree）、反对（disagree）或弃权（abstain）。", "Choose agree, disagree or abstain.");
            return errors.ToProblem();
        }
        var now = clock.GetUtcNow();
        if (!ballot.IsOpenAt(now))
        {
            var early = ballot.Status == BallotStatus.Announced || now < ballot.OpensAt;
            return Problems.Conflict("ballotNotOpen", early ? $"表决尚在公告期，{ChinaTime.ChineseDateTime(ballot.OpensAt)} 开始投票。" : "表决已经结束。",
                early ? $"The ballot is announced; voting opens at {ChinaTime.EnglishDateTime(ballot.OpensAt)}." : "The ballot is closed.");
        }
        // The head's own receipt. A code presented with the vote must be it: a receipt found elsewhere (another owner's)
        // is refused, and says nothing about whose it is.
        var code = BallotReceipts.Of(key, ballot.Id, voter.HeadKey);
        if (!string.IsNullOrWhiteSpace(receipt) && !BallotReceipts.Matches(receipt, code))
            return Problems.Forbidden("badReceipt", "这不是您的回执码，投票未作任何改动。", "That is not your receipt code; nothing was changed.");

        // Without revotes the unique index on (ballot, head) alone decides who was first; with them, look first.
        var existing = ballot.AllowRevote
            ? await db.BallotParticipations.FirstOrDefaultAsync(p => p.BallotId == ballot.Id && p.HeadKey == voter.HeadKey, ct)
            : null;
        // The head's entry in the sealed box: its receipt hash, choice and area — nothing in the clear, no row of its own.
        var entry = new BoxEntry(BallotCounting.HashReceipt(code), choice, voter.Area);
        if (existing is not null)
        {
            if (!ballot.AllowRevote || channel != VoteChannel.Online)
                return Problems.Conflict("alreadyVoted", "该表决权人已经投过票，本次表决不允许改票。",
                    "This head has already voted, and this ballot does not allow changing a vote.");
            // Changing a secret vote asks for the voter's receipt as a confirmation (shown to them at GET …/me); it was checked
            // above to be this head's. The choice changed is the head's own, found through the head, never through the code.
            if (ballot.Secret && string.IsNullOrWhiteSpace(receipt))
                return Problems.Conflict("receiptNeeded", "改票须提供您的回执码（登录后在“我的投票”中可以查看）。",
                    "To change a secret vote, give your receipt code (shown with your vote when you are signed in).");
            // The record says what counts now (an online vote over a proxy: online, no proxy); what it said goes to the history.
            db.BallotVoteHistory.Add(existing.Replace(channel, proxyName, castById, voter.UserId, choice, now));
            // The head's entry is overwritten in a box sealed afresh: the replaced choice leaves no trace in it.
            if (!await BallotBoxes.SaveWithVoteAsync(db, ballot.Id, entry, replace: true, () => Task.FromResult(false), ct))
                return Problems.Conflict("revoteUnavailable", "该票在回执规则更新前投出，无法找到并更改。",
                    "This vote was cast before receipts were tied to heads and cannot be changed.");
            return TypedResults.Ok(new VoteReceipt(ballot.Id, code, choice, voter.Units, voter.Area, Revote: true));
        }

        // The participation says who voted and when; what they chose goes only into the box.
        db.BallotParticipations.Add(new BallotParticipation(participationId ?? Guid.CreateVersion7(now), ballot.Id, voter.HeadKey, voter.UserId,
            ownerId, channel, proxyName, castById, now, ballot.Secret ? null : choice));
        try
        {
            // Refused for a reason other than the box (someone voted for this head a moment ago, the unique index on (ballot, head)): not retried.
            await BallotBoxes.SaveWithVoteAsync(db, ballot.Id, entry, replace: false,
                () => db.BallotParticipations.AsNoTracking().AnyAsync(p => p.BallotId == ballot.Id && p.HeadKey == voter.HeadKey, ct), ct);
        }
        catch (DbUpdateException)
        {
            if (!await db.BallotParticipations.AsNoTracking().AnyAsync(p => p.BallotId == ballot.Id && p.HeadKey == voter.HeadKey, ct)) throw;
            return Problems.Conflict("alreadyVoted", "该表决权人已经投过票。", "This head has already voted.");
        }
        Operations.Telemetry.BallotsCast.Add(1, new KeyValuePair<string, object?>("channel", channel.ToString())); // never the choice
        return TypedResults.Ok(new VoteReceipt(ballot.Id, code, choice, voter.Units, voter.Area, Revote: false));
    }
}
