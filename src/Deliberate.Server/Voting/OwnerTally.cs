using System.Runtime.InteropServices;
using static Deliberate.Server.Voting.Tally;
using static Deliberate.Server.Voting.TallyFaultCodes;

namespace Deliberate.Server.Voting;

/// <summary>
/// Owners' votes: heads by union-find over shared owners, then one pass over the ballots and one over the units.
/// Linear in units + owners + ballots. It runs on a million units within a second, so the loops use arrays and
/// dictionaries only, and large requests use two threads for the parts that are independent: indexing units while
/// linking owners, and looking up ballots in halves. The outcome and the order of faults do not depend on that.
/// </summary>
internal static class OwnerTally
{
    /// <summary>Largest area of one unit, m². Bounds the sums so decimal arithmetic stays exact.</summary>
    private const decimal MaxArea = 1_000_000_000m;
    private const int MaxAreaScale = 4;

    /// <summary>Below this many units or ballots, threads cost more than they save.</summary>
    internal const int ParallelFrom = 50_000;

    private const int NullBallot = -2, UnknownUnitIndex = -1;

    public static TallyResult Count(TallyRequest request, RuleSpec rule, FaultList faults, bool? parallel = null)
    {
        var electorate = request.Electorate;
        if (electorate is null || electorate.Count == 0)
            faults.Fail(EmptyElectorate, null, "业主名册（electorate）为空，无法计票。", "The electorate is empty: there is nobody to count.");

        var n = electorate!.Count;
        var ballots = request.Ballots ?? [];
        var m = ballots.Count;
        var threads = parallel ?? (n >= ParallelFrom || m >= ParallelFrom);

        // 1. Index the units and check them; meanwhile link units that share an owner, and the developer's units.
        var unitIndex = new Dictionary<string, int>(n, StringComparer.Ordinal);
        var areas = new decimal[n];
        var unitFaults = new FaultList();
        // Union-find: parent[i] >= 0 is a link; a root holds -(size of its tree).
        var parent = new int[n];
        var ownerFaults = new FaultList();
        if (threads)
            Parallel.Invoke(
                () => IndexUnits(electorate, unitIndex, areas, unitFaults),
                () => LinkOwners(electorate, parent, ownerFaults));
        else
        {
            IndexUnits(electorate, unitIndex, areas, unitFaults);
            LinkOwners(electorate, parent, ownerFaults);
        }
        faults.Append(unitFaults);
        faults.Append(ownerFaults);

        // 2. Heads: number the roots, then point every unit at its root's number.
        var headOfUnit = NumberHeads(parent, out var heads);

        // 3. Ballots: look up units and choices (in halves when large), then give each head one choice, in ballot order.
        var unitOfBallot = new int[m];
        var choiceOfBallot = new byte[m];
        if (threads && m >= 2)
        {
            var half = m / 2;
            Parallel.Invoke(
                () => LookUpBallots(ballots, 0, half, unitIndex, unitOfBallot, choiceOfBallot),
                () => LookUpBallots(ballots, half, m, unitIndex, unitOfBallot, choiceOfBallot));
        }
        else
            LookUpBallots(ballots, 0, m, unitIndex, unitOfBallot, choiceOfBallot);

        var choiceOfHead = new byte[heads];
        var firstBallotOfHead = new int[heads];
        for (var b = 0; b < m; b++)
        {
            var u = unitOfBallot[b];
            var choice = choiceOfBallot[b];
            if (u < 0 || choice == NoVote)
            {
                AddBallotFaults(faults, ballots[b], b, u, choice);
                continue;
            }
            var head = headOfUnit[u];
            var previous = choiceOfHead[head];
            if (previous == NoVote)
            {
                choiceOfHead[head] = choice;
                firstBallotOfHead[head] = b;
            }
            else if (previous != choice)
            {
                var unit = ballots[b].Unit;
                var other = ballots[firstBallotOfHead[head]].Unit;
                faults.Add(ConflictingBallots, unit,
                    $"单元“{unit}”与“{other}”属于同一表决权人（计为一人），两张选票意见不同（{ChoiceZh(choice)}、{ChoiceZh(previous)}）。",
                    $"Units '{unit}' and '{other}' belong to one head, whose ballots disagree ({ChoiceName(choice)}, {ChoiceName(previous)}).");
            }
        }
        faults.ThrowIfAny();

        // 4. Sums per choice; index 0 is the heads that did not vote.
        Span<decimal> area = stackalloc decimal[4];
        Span<int> count = stackalloc int[4];
        for (var i = 0; i < n; i++)
            area[choiceOfHead[headOfUnit[i]]] += areas[i];
        for (var h = 0; h < heads; h++)
            count[choiceOfHead[h]]++;

        var totals = new Figures(area[0] + area[1] + area[2] + area[3], heads);
        var voted = new Figures(area[1] + area[2] + area[3], count[1] + count[2] + count[3]);
        if (!request.DeemedConsent)
            return Decide(rule, totals, present: null, participating: voted,
                agree: new Figures(area[Agree], count[Agree]),
                disagree: new Figures(area[Disagree], count[Disagree]),
                abstain: new Figures(area[Abstain], count[Abstain]),
                deemed: null, deemedAs: null);

        // Deemed consent: non-voting heads follow the majority, counted toward the quorum and/or the threshold as the
        // rules of procedure say (unsaid: both, as ballots stored before counted them).
        var towardParticipation = request.DeemedCountsTowardParticipation ?? true;
        var towardThreshold = request.DeemedCountsTowardThreshold ?? true;
        var majority = Majority(rule.Measures, area, count);
        var deemed = majority == NoVote ? new Figures(0m, 0) : new Figures(area[0], count[0]);
        var participating = towardParticipation ? Plus(voted, deemed) : voted;
        var thresholdBase = towardThreshold ? Plus(voted, deemed) : voted;
        if (majority != NoVote && towardThreshold)
        {
            area[majority] += area[0];
            count[majority] += count[0];
        }
        var report = new DeemedReport(voted, Percent(voted, totals), towardParticipation, towardThreshold, thresholdBase);
        return Decide(rule, totals, present: null, participating,
            agree: new Figures(area[Agree], count[Agree]),
            disagree: new Figures(area[Disagree], count[Disagree]),
            abstain: new Figures(area[Abstain], count[Abstain]),
            deemed, majority == NoVote ? null : ChoiceName(majority), thresholdBase, report);
    }

    static Figures Plus(Figures a, Figures b) => new((a.Area ?? 0m) + (b.Area ?? 0m), a.Headcount + b.Headcount);

    static Percentages Percent(Figures part, Figures whole) => new(
        whole.Area is > 0m ? Math.Round(100m * (part.Area ?? 0m) / whole.Area.Value, 2, MidpointRounding.AwayFromZero) : 0m,
        whole.Headcount > 0 ? Math.Round(100m * part.Headcount / whole.Headcount, 2, MidpointRounding.AwayFromZero) : 0m);

    /// <summary>Which head each unit belongs to, numbered 0, 1, … in the order of each head's first unit.</summary>
    public static int[] HeadsOf(IReadOnlyList<ElectorateUnit> electorate)
    {
        var parent = new int[electorate.Count];
        var faults = new FaultList();
        LinkOwners(electorate, parent, faults);
        faults.ThrowIfAny();
        return NumberHeads(parent, out _);
    }

    private static int[] NumberHeads(int[] parent, out int heads)
    {
        var headOfUnit = new int[parent.Length];
        heads = 0;
        for (var i = 0; i < parent.Length; i++)
            if (parent[i] < 0) headOfUnit[i] = heads++;
        for (var i = 0; i < parent.Length; i++)
            if (parent[i] >= 0) headOfUnit[i] = headOfUnit[Find(parent, i)];
        return headOfUnit;
    }

    private static void IndexUnits(IReadOnlyList<ElectorateUnit> electorate, Dictionary<string, int> unitIndex, decimal[] areas, FaultList faults)
    {
        for (var i = 0; i < electorate.Count; i++)
        {
            var unit = electorate[i];
            if (unit is null)
            {
                faults.Add(MissingUnit, null, $"业主名册第 {i + 1} 项为空。", $"Electorate item #{i + 1} is empty.");
                continue;
            }
            var id = unit.Unit;
            if (string.IsNullOrWhiteSpace(id))
                faults.Add(MissingUnit, null, $"业主名册第 {i + 1} 项没有单元编号。", $"Electorate item #{i + 1} has no unit.");
            else if (!unitIndex.TryAdd(id, i))
                faults.Add(DuplicateUnit, id, $"单元“{id}”在业主名册中出现了两次。", $"Unit '{id}' appears twice in the electorate.");

            var area = unit.Area;
            if (area <= 0m)
                faults.Add(InvalidArea, id, $"单元“{id}”的专有部分面积 {area} 必须大于 0。", $"Unit '{id}' has area {area}; it must be above 0.");
            else if (area > MaxArea)
                faults.Add(InvalidArea, id, $"单元“{id}”的面积 {area} 超过上限 {MaxArea} 平方米。",
                    $"Unit '{id}' has area {area}, above the limit of {MaxArea} m².");
            else if (area.Scale > MaxAreaScale && decimal.Round(area, MaxAreaScale) != area)
                faults.Add(InvalidArea, id, $"单元“{id}”的面积 {area} 小数位过多（最多 {MaxAreaScale} 位）。",
                    $"Unit '{id}' has area {area} with more than {MaxAreaScale} decimal places.");
            areas[i] = area;
        }
    }

    private static void LinkOwners(IReadOnlyList<ElectorateUnit> electorate, int[] parent, FaultList faults)
    {
        Array.Fill(parent, -1);
        var firstUnitOfOwner = new Dictionary<string, int>(electorate.Count, StringComparer.Ordinal);
        var developerUnit = -1;
        for (var i = 0; i < electorate.Count; i++)
        {
            var unit = electorate[i];
            if (unit is null) continue;
            if (unit.DeveloperUnsold)
            {
                if (developerUnit < 0) developerUnit = i;
                else Union(parent, i, developerUnit);
            }

            var owners = unit.Owners;
            if (owners is null) continue;
            for (var k = 0; k < owners.Count; k++)
            {
                var owner = owners[k];
                if (string.IsNullOrWhiteSpace(owner))
                {
                    faults.Add(InvalidOwner, unit.Unit, $"单元“{unit.Unit}”有一个空的业主标识。", $"Unit '{unit.Unit}' lists a blank owner.");
                    continue;
                }
                ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(firstUnitOfOwner, owner, out var seen);
                if (seen) Union(parent, i, first);
                else first = i;
            }
        }
    }

    /// <summary>Reads ballots [from, to): the unit's index (or a marker) and the choice. Only reads shared state.</summary>
    private static void LookUpBallots(IReadOnlyList<TallyBallot> ballots, int from, int to, Dictionary<string, int> unitIndex,
        int[] unitOfBallot, byte[] choiceOfBallot)
    {
        for (var b = from; b < to; b++)
        {
            var ballot = ballots[b];
            if (ballot is null)
            {
                unitOfBallot[b] = NullBallot;
                continue;
            }
            choiceOfBallot[b] = ParseChoice(ballot.Choice);
            unitOfBallot[b] = ballot.Unit is { } unit && unitIndex.TryGetValue(unit, out var u) ? u : UnknownUnitIndex;
        }
    }

    private static void AddBallotFaults(FaultList faults, TallyBallot? ballot, int index, int unit, byte choice)
    {
        if (ballot is null)
        {
            faults.Add(UnknownUnit, null, $"第 {index + 1} 张选票为空。", $"Ballot #{index + 1} is empty.");
            return;
        }
        if (choice == NoVote) AddUnknownChoice(faults, ballot.Unit, ballot.Choice);
        if (unit == UnknownUnitIndex)
            faults.Add(UnknownUnit, ballot.Unit, $"选票所投的单元“{ballot.Unit}”不在业主名册中。",
                $"A ballot names unit '{ballot.Unit}', which is not in the electorate.");
    }

    /// <summary>The choice that leads every other choice strictly on every measure of the rule, or none.</summary>
    private static byte Majority(Measures measures, ReadOnlySpan<decimal> area, ReadOnlySpan<int> count)
    {
        for (var c = Agree; c <= Abstain; c++)
        {
            var leads = true;
            for (var other = Agree; other <= Abstain; other++)
            {
                if (other == c) continue;
                if ((measures & Measures.Area) != 0 && area[c] <= area[other]) leads = false;
                if ((measures & Measures.Headcount) != 0 && count[c] <= count[other]) leads = false;
            }
            if (leads) return c;
        }
        return NoVote;
    }

    private static int Find(int[] parent, int x)
    {
        // Path halving: every other node on the path now points at its grandparent.
        while (parent[x] >= 0)
        {
            var up = parent[x];
            var grand = parent[up];
            if (grand < 0) return up;
            parent[x] = grand;
            x = grand;
        }
        return x;
    }

    private static void Union(int[] parent, int a, int b)
    {
        a = Find(parent, a);
        b = Find(parent, b);
        if (a == b) return;
        if (parent[a] > parent[b]) (a, b) = (b, a); // a is the larger tree
        parent[a] += parent[b];
        parent[b] = a;
    }
}
