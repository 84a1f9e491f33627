using System.Numerics;
using Deliberate.Server.Voting;

namespace Deliberate.Tests.Voting;

/// <summary>
/// Random requests (fixed seed) tallied by the engine and by a slow reference written straight from the law:
/// heads by repeated merging, areas as whole ten-thousandths of a m² in big integers, each rule's thresholds spelled out.
/// </summary>
public class TallyPropertyTests
{
    private const int Seed = 20250278;
    private static readonly string[] Choices = [TallyChoices.Agree, TallyChoices.Disagree, TallyChoices.Abstain];
    private static readonly decimal[] Areas = [1m, 1m, 2m, 3m, 0.5m, 1.25m, 10m, 89.5m, 0.0001m];

    [Fact]
    public void The_tally_of_random_owners_votes_agrees_with_the_reference()
    {
        var random = new Random(Seed);
        int decided = 0, faulted = 0;
        for (var run = 0; run < 4000; run++)
        {
            var request = RandomOwnersRequest(random);
            var expected = Reference.Owners(request);
            if (expected is null)
            {
                var exception = Assert.Throws<TallyException>(() => Tally.Count(request));
                Assert.All(exception.Faults, f => Assert.Equal(TallyFaultCodes.ConflictingBallots, f.Code));
                faulted++;
                continue;
            }
            AssertSame(expected, Tally.Count(request), run);
            decided++;
        }
        // The generator must exercise both paths and all outcomes, or this test proves little.
        Assert.True(decided > 2000 && faulted > 100, $"decided {decided}, faulted {faulted}");
    }

    [Fact]
    public void The_tally_of_random_meetings_agrees_with_the_reference()
    {
        var random = new Random(Seed);
        var outcomes = new HashSet<TallyOutcome>();
        for (var run = 0; run < 4000; run++)
        {
            var request = RandomMeeting(random);
            var expected = Reference.Members(request);
            var actual = Tally.Count(request);
            AssertSame(expected, actual, run);
            outcomes.Add(actual.Outcome);
        }
        Assert.Equal(3, outcomes.Count);
    }

    [Fact]
    public void The_two_threaded_tally_of_large_requests_agrees_with_the_single_threaded_one_including_faults()
    {
        var random = new Random(Seed);
        for (var run = 0; run < 200; run++)
        {
            var units = random.Next(1, 3000);
            var owners = Enumerable.Range(0, random.Next(1, units + 10)).Select(i => $"o{i}").ToArray();
            var electorate = Enumerable.Range(0, units).Select(i => new ElectorateUnit($"u{i}",
                Enumerable.Range(0, random.Next(0, 3)).Select(_ => owners[random.Next(owners.Length)]).ToArray(),
                Areas[random.Next(Areas.Length)], DeveloperUnsold: random.Next(50) == 0)).ToList();
            var faulty = run % 4 == 0; // a quarter with unknown units, bad choices and empty ballots
            var ballots = Enumerable.Range(0, random.Next(0, 2 * units)).Select(_ =>
                faulty && random.Next(100) == 0 ? null!
                : TallyBallot.ForUnit(faulty && random.Next(50) == 0 ? "nowhere" : $"u{random.Next(units)}",
                    faulty && random.Next(50) == 0 ? "maybe" : Choices[0])).ToList();
            if (run % 8 == 1) ballots.AddRange(ballots.Take(20).Select(b => b with { Choice = TallyChoices.Disagree }));
            var request = new TallyRequest
            {
                Rule = TallyRules.CivilCode278Ordinary, Electorate = electorate, Ballots = ballots,
                DeemedConsent = run % 3 == 0
            };

            var (single, singleFaults) = Outcome(() => Tally.Count(request, parallel: false));
            var (twoThreads, twoThreadFaults) = Outcome(() => Tally.Count(request, parallel: true));

            Assert.Equal(single, twoThreads);
            Assert.Equal(singleFaults, twoThreadFaults);
        }

        static (TallyResult?, IReadOnlyList<TallyFault>?) Outcome(Func<TallyResult> count)
        {
            try { return (count(), null); }
            catch (TallyException e) { return (null, e.Faults); }
        }
    }

    [Fact]
    public void A_request_large_enough_for_two_threads_is_counted_through_the_public_entry_point()
    {
        // 60,000 units in pairs owned by one owner: 30,000 heads; the first 20,000 heads vote, one ballot each.
        var units = Enumerable.Range(0, 60_000).Select(i => new ElectorateUnit($"u{i}", [$"o{i / 2}"], 1.5m)).ToList();
        var ballots = Enumerable.Range(0, 20_000).Select(h => TallyBallot.ForUnit($"u{2 * h + h % 2}", TallyChoices.Agree)).ToList();

        var result = Tally.Count(new TallyRequest { Rule = TallyRules.CivilCode278Ordinary, Electorate = units, Ballots = ballots });

        Assert.Equal(new Figures(90_000m, 30_000), result.Totals);
        Assert.Equal(new Figures(60_000m, 20_000), result.Agree);
        Assert.Equal(TallyOutcome.Passed, result.Outcome);
    }

    private static void AssertSame(Expected expected, TallyResult actual, int run)
    {
        var context = $"run {run}, rule {actual.Rule.Name}";
        Assert.True(expected.Outcome == actual.Outcome, $"{context}: outcome {actual.Outcome}, reference {expected.Outcome}");
        Assert.True(expected.QuorumMet == actual.QuorumMet, context);
        Assert.True(expected.Totals == actual.Totals, $"{context}: totals {actual.Totals}, reference {expected.Totals}");
        Assert.True(expected.Participating == actual.Participating,
            $"{context}: participating {actual.Participating}, reference {expected.Participating}");
        Assert.True(expected.Agree == actual.Agree, $"{context}: agree {actual.Agree}, reference {expected.Agree}");
        Assert.True(expected.Disagree == actual.Disagree, context);
        Assert.True(expected.Abstain == actual.Abstain, context);
        Assert.True(expected.Deemed == actual.Deemed, $"{context}: deemed {actual.Deemed}, reference {expected.Deemed}");
    }

    // ---- Generators ----

    private static TallyRequest RandomOwnersRequest(Random random)
    {
        var unitCount = random.Next(1, 13);
        var ownerPool = Enumerable.Range(0, random.Next(1, unitCount + 3)).Select(i => $"owner{i}").ToArray();
        var units = new List<ElectorateUnit>();
        for (var i = 0; i < unitCount; i++)
        {
            var kind = random.NextDouble();
            var area = Areas[random.Next(Areas.Length)];
            if (kind < 0.12) units.Add(new ElectorateUnit($"u{i}", [], area, DeveloperUnsold: true));
            else if (kind < 0.2) units.Add(new ElectorateUnit($"u{i}", random.Next(2) == 0 ? null : [], area));
            else units.Add(new ElectorateUnit($"u{i}",
                Enumerable.Range(0, random.Next(1, 3)).Select(_ => ownerPool[random.Next(ownerPool.Length)]).ToArray(), area));
        }

        // Most requests give every head one mind; the rest let units of a head disagree (a fault).
        var consistent = random.NextDouble() < 0.85;
        var heads = Reference.Heads(units);
        var mindOfHead = heads.Select(_ => Choices[random.Next(3)]).ToArray();
        var turnout = random.NextDouble();
        var ballots = new List<TallyBallot>();
        for (var h = 0; h < heads.Count; h++)
        {
            if (random.NextDouble() > turnout) continue;
            foreach (var u in heads[h])
            {
                if (ballots.Count > 0 && random.NextDouble() < 0.5 && heads[h].Count > 1) continue;
                var choice = consistent ? mindOfHead[h] : Choices[random.Next(3)];
                ballots.Add(TallyBallot.ForUnit(units[u].Unit, choice));
                if (random.NextDouble() < 0.1) ballots.Add(TallyBallot.ForUnit(units[u].Unit, choice)); // sent twice
            }
        }
        Shuffle(random, ballots);

        var rule = random.Next(4) switch
        {
            0 => TallyRules.CivilCode278Ordinary,
            1 => TallyRules.CivilCode278Major,
            _ => TallyRules.Custom,
        };
        return new TallyRequest
        {
            Rule = rule,
            Electorate = units,
            Ballots = ballots,
            DeemedConsent = random.NextDouble() < 0.3,
            Threshold = rule == TallyRules.Custom ? RandomThreshold(random, owners: true) : null,
        };
    }

    private static TallyRequest RandomMeeting(Random random)
    {
        var count = random.Next(1, 16);
        var members = Enumerable.Range(1, count).Select(i => $"m{i}").ToList();
        var present = members.Where(_ => random.NextDouble() < 0.75).ToList();
        var ballots = new List<TallyBallot>();
        foreach (var member in present)
        {
            if (random.NextDouble() < 0.2) continue; // present but silent
            var choice = Choices[random.Next(10) < 6 ? 0 : random.Next(3)];
            ballots.Add(TallyBallot.ForMember(member, choice));
            if (random.NextDouble() < 0.1) ballots.Add(TallyBallot.ForMember(member, choice));
        }
        Shuffle(random, ballots);
        var rule = random.Next(4) switch
        {
            0 => TallyRules.OwnersCommittee,
            1 => TallyRules.ResidentsMeeting,
            2 => TallyRules.RepresentativesMeeting,
            _ => TallyRules.Custom,
        };
        return new TallyRequest
        {
            Rule = rule, Members = members, Present = present, Ballots = ballots,
            Threshold = rule == TallyRules.Custom ? RandomThreshold(random, owners: false) : null,
        };
    }

    private static TallyThreshold RandomThreshold(Random random, bool owners)
    {
        string Fraction()
        {
            var den = random.Next(1, 7);
            return $"{random.Next(1, den + 1)}/{den}";
        }
        var inclusive = random.Next(2) == 0;
        var fraction = Fraction();
        if (!inclusive && fraction.Split('/') is [var n, var d] && n == d) inclusive = true; // "more than all" is refused
        var quorumInclusive = random.Next(2) == 0;
        var quorumFraction = Fraction();
        if (!quorumInclusive && quorumFraction.Split('/') is [var qn, var qd] && qn == qd) quorumInclusive = true;
        return new TallyThreshold
        {
            Fraction = fraction,
            Base = new[] { "entitled", "participating", "present" }[random.Next(3)],
            Inclusive = inclusive,
            Quorum = random.Next(3) == 0 ? null : new TallyQuorum { Fraction = quorumFraction, Inclusive = quorumInclusive },
            Measures = !owners ? (random.Next(2) == 0 ? null : ["headcount"])
                : random.Next(4) switch { 0 => null, 1 => ["area"], 2 => ["headcount"], _ => ["headcount", "area"] },
        };
    }

    private static void Shuffle<T>(Random random, List<T> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    // ---- The reference ----

    private sealed record Expected(TallyOutcome Outcome, bool QuorumMet, Figures Totals, Figures Participating,
        Figures Agree, Figures Disagree, Figures Abstain, Figures? Deemed);

    /// <summary>A measure of a group: area in ten-thousandths of a m², and heads.</summary>
    private readonly record struct Amount(BigInteger Area, BigInteger Heads)
    {
        public static Amount operator +(Amount a, Amount b) => new(a.Area + b.Area, a.Heads + b.Heads);
        public Figures ToFigures(bool withArea) => new(withArea ? (decimal)Area / 10000m : null, (int)Heads);
    }

    private static class Reference
    {
        /// <summary>Groups of unit indexes: merge any two groups that share an owner or both hold developer units, until none do.</summary>
        public static List<List<int>> Heads(IReadOnlyList<ElectorateUnit> units)
        {
            var groups = units.Select((_, i) => new List<int> { i }).ToList();
            bool merged;
            do
            {
                merged = false;
                for (var a = 0; a < groups.Count && !merged; a++)
                    for (var b = a + 1; b < groups.Count && !merged; b++)
                    {
                        var ownersA = groups[a].SelectMany(u => units[u].Owners ?? []).ToHashSet();
                        var linked = groups[b].SelectMany(u => units[u].Owners ?? []).Any(ownersA.Contains)
                                     || (groups[a].Any(u => units[u].DeveloperUnsold) && groups[b].Any(u => units[u].DeveloperUnsold));
                        if (!linked) continue;
                        groups[a].AddRange(groups[b]);
                        groups.RemoveAt(b);
                        merged = true;
                    }
            } while (merged);
            return groups;
        }

        public static Expected? Owners(TallyRequest request)
        {
            var units = request.Electorate!;
            var heads = Heads(units);
            var byChoice = new Dictionary<string, Amount>
            {
                [""] = default, [TallyChoices.Agree] = default, [TallyChoices.Disagree] = default, [TallyChoices.Abstain] = default,
            };
            foreach (var head in heads)
            {
                var names = head.Select(u => units[u].Unit).ToHashSet();
                var choices = request.Ballots!.Where(b => names.Contains(b.Unit!)).Select(b => b.Choice!).Distinct().ToList();
                if (choices.Count > 1) return null; // a head of two minds cannot be counted
                var amount = new Amount(head.Aggregate(BigInteger.Zero, (sum, u) => sum + new BigInteger(units[u].Area * 10000m)), 1);
                var key = choices.Count == 0 ? "" : choices[0];
                byChoice[key] += amount;
            }

            var rule = request.Rule!;
            var custom = request.Threshold;
            var measures = custom?.Measures ?? ["area", "headcount"];
            bool useArea = measures.Contains("area"), useHeads = measures.Contains("headcount");

            Figures? deemed = null;
            if (request.DeemedConsent)
            {
                var majority = Choices.SingleOrDefault(c => Choices.Where(o => o != c).All(o =>
                    (!useArea || byChoice[c].Area > byChoice[o].Area) && (!useHeads || byChoice[c].Heads > byChoice[o].Heads)));
                if (majority is null) deemed = new Figures(0m, 0);
                else
                {
                    deemed = byChoice[""].ToFigures(true);
                    byChoice[majority] += byChoice[""];
                    byChoice[""] = default;
                }
            }

            var total = byChoice.Values.Aggregate(default(Amount), (a, b) => a + b);
            var taking = byChoice[TallyChoices.Agree] + byChoice[TallyChoices.Disagree] + byChoice[TallyChoices.Abstain];
            var agree = byChoice[TallyChoices.Agree];

            bool quorum, passes;
            switch (rule)
            {
                case TallyRules.CivilCode278Ordinary:
                    quorum = 3 * taking.Area >= 2 * total.Area && 3 * taking.Heads >= 2 * total.Heads;
                    passes = 2 * agree.Area > taking.Area && 2 * agree.Heads > taking.Heads;
                    break;
                case TallyRules.CivilCode278Major:
                    quorum = 3 * taking.Area >= 2 * total.Area && 3 * taking.Heads >= 2 * total.Heads;
                    passes = 4 * agree.Area >= 3 * taking.Area && 4 * agree.Heads >= 3 * taking.Heads;
                    break;
                default:
                    quorum = custom!.Quorum is null
                             || ((!useArea || Reaches(taking.Area, total.Area, custom.Quorum.Fraction!, custom.Quorum.Inclusive!.Value))
                                 && (!useHeads || Reaches(taking.Heads, total.Heads, custom.Quorum.Fraction!, custom.Quorum.Inclusive!.Value)));
                    var whole = custom.Base == "entitled" ? total : taking;
                    passes = (!useArea || Reaches(agree.Area, whole.Area, custom.Fraction!, custom.Inclusive!.Value))
                             && (!useHeads || Reaches(agree.Heads, whole.Heads, custom.Fraction!, custom.Inclusive!.Value));
                    break;
            }
            var outcome = !quorum ? TallyOutcome.NoDecision : passes ? TallyOutcome.Passed : TallyOutcome.Rejected;
            return new Expected(outcome, quorum, total.ToFigures(true), taking.ToFigures(true), agree.ToFigures(true),
                byChoice[TallyChoices.Disagree].ToFigures(true), byChoice[TallyChoices.Abstain].ToFigures(true), deemed);
        }

        public static Expected Members(TallyRequest request)
        {
            var all = request.Members!.Count;
            var present = request.Present!.Distinct().Count();
            var choiceOf = request.Ballots!.GroupBy(b => b.Voter).ToDictionary(g => g.Key!, g => g.First().Choice!);
            var agree = choiceOf.Values.Count(c => c == TallyChoices.Agree);
            var voting = choiceOf.Count;

            bool quorum, passes;
            switch (request.Rule)
            {
                case TallyRules.OwnersCommittee:
                    quorum = 2 * present > all;
                    passes = 2 * agree > all;
                    break;
                case TallyRules.ResidentsMeeting:
                    quorum = 2 * present > all;
                    passes = 2 * agree > present;
                    break;
                case TallyRules.RepresentativesMeeting:
                    quorum = 3 * present >= 2 * all;
                    passes = 2 * agree > present;
                    break;
                default:
                    var t = request.Threshold!;
                    quorum = t.Quorum is null || Reaches(present, all, t.Quorum.Fraction!, t.Quorum.Inclusive!.Value);
                    var whole = t.Base switch { "entitled" => all, "present" => present, _ => voting };
                    passes = Reaches(agree, whole, t.Fraction!, t.Inclusive!.Value);
                    break;
            }
            var outcome = !quorum ? TallyOutcome.NoDecision : passes ? TallyOutcome.Passed : TallyOutcome.Rejected;
            return new Expected(outcome, quorum, new Figures(null, all), new Figures(null, voting), new Figures(null, agree),
                new Figures(null, choiceOf.Values.Count(c => c == TallyChoices.Disagree)),
                new Figures(null, choiceOf.Values.Count(c => c == TallyChoices.Abstain)), null);
        }

        /// <summary>part/whole reaches num/den; nothing reaches anything of an empty whole.</summary>
        private static bool Reaches(BigInteger part, BigInteger whole, string fraction, bool inclusive)
        {
            var parts = fraction.Split('/');
            BigInteger num = BigInteger.Parse(parts[0]), den = BigInteger.Parse(parts[1]);
            if (whole.IsZero) return false;
            return inclusive ? part * den >= num * whole : part * den > num * whole;
        }
    }
}
