using System.Diagnostics;
using Deliberate.Server.Voting;

namespace Deliberate.Bench;

/// <summary>
/// The Art. 278 tally of one ballot per unit over a million units, against a target of one second and, in the same
/// run, a baseline: a plain loop that looks up each ballot's area and sums it per choice, with no head grouping.
/// The tally uses two threads on a request this large, the baseline one, so the ratio can fall below 1.
/// </summary>
internal static class TallyBench
{
    public const string Usage = "[units=1000000] [runs=7]   civil-code-278 tally of one ballot per unit; target <= 1000 ms";
    private const long TargetMilliseconds = 1000;
    private const int Warmups = 2;

    public static int Run(string[] args)
    {
        var units = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var runs = args.Length > 1 ? int.Parse(args[1]) : 7;

        var build = Stopwatch.StartNew();
        var request = Build(units, new Random(278));
        Console.WriteLine($"built {request.Electorate!.Count} units, {request.Ballots!.Count} ballots in {build.ElapsedMilliseconds} ms; "
                          + $"{Environment.ProcessorCount} cores{LoadAverage()}");

        TallyResult? result = null;
        (decimal, int)[]? sums = null;
        var (tally, baseline) = Measure(runs, () => result = Tally.Count(request), () => sums = Baseline(request));

        Console.WriteLine($"result: {result!.Outcome}, heads {result.Totals.Headcount}, area {result.Totals.Area} m², "
                          + $"agree {result.Agree.Headcount} heads / {result.Agree.Area} m²; "
                          + $"baseline agree {sums![1].Item2} units / {sums[1].Item1} m²");
        Console.WriteLine($"tally {request.Ballots.Count} ballots: median {tally:F0} ms (target <= {TargetMilliseconds} ms); "
                          + $"baseline sum {baseline:F0} ms; ratio {tally / baseline:F1}x");
        return tally <= TargetMilliseconds ? 0 : 1;
    }

    /// <summary>Other work on the machine skews the figures; say how much there was.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? ", load average " + File.ReadAllText("/proc/loadavg").Split(' ')[0] : "";

    /// <summary>
    /// Median wall times in ms of <paramref name="runs"/> runs each, after <see cref="Warmups"/> untimed ones. The two
    /// alternate, so that other work on the machine weighs on both alike and the ratio stays fair.
    /// </summary>
    private static (double Subject, double Baseline) Measure(int runs, Action subject, Action baseline)
    {
        for (var i = 0; i < Warmups; i++)
        {
            subject();
            baseline();
        }
        var subjectTimes = new double[runs];
        var baselineTimes = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            subjectTimes[i] = Time(subject);
            baselineTimes[i] = Time(baseline);
        }
        return (Median(subjectTimes), Median(baselineTimes));
    }

    private static double Time(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(double[] times)
    {
        Array.Sort(times);
        var n = times.Length;
        return n % 2 == 1 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
    }

    /// <summary>The least any tally must do: index the areas, then one lookup and one add per ballot.</summary>
    private static (decimal Area, int Count)[] Baseline(TallyRequest request)
    {
        var electorate = request.Electorate!;
        var areaOf = new Dictionary<string, decimal>(electorate.Count, StringComparer.Ordinal);
        for (var i = 0; i < electorate.Count; i++) areaOf[electorate[i].Unit] = electorate[i].Area;
        var sums = new (decimal Area, int Count)[4];
        var ballots = request.Ballots!;
        for (var i = 0; i < ballots.Count; i++)
        {
            var ballot = ballots[i];
            var choice = ballot.Choice switch { TallyChoices.Agree => 1, TallyChoices.Disagree => 2, TallyChoices.Abstain => 3, _ => 0 };
            sums[choice].Area += areaOf[ballot.Unit!];
            sums[choice].Count++;
        }
        return sums;
    }

    /// <summary>
    /// A realistic city-scale electorate: mostly one owner per unit; some owners of 2–3 units, some co-owned units (a few
    /// linked to another unit through one co-owner), 2 % developer-unsold units. Every unit sends its head's ballot
    /// (70 % agree, 20 % disagree, 10 % abstain), in shuffled order. Objects are allocated in list order with their own
    /// strings, as reading the JSON request would lay them out.
    /// </summary>
    private static TallyRequest Build(int unitCount, Random random)
    {
        var units = new List<ElectorateUnit>(unitCount);
        var choiceOfUnit = new List<string>(unitCount);
        var owner = 0;
        string NextOwner() => $"O{owner++:D7}";
        decimal Area() => new(random.Next(3500, 18001), 0, 0, false, 2); // 35.00–180.00 m²
        string Choice()
        {
            var r = random.Next(10);
            return r < 7 ? TallyChoices.Agree : r < 9 ? TallyChoices.Disagree : TallyChoices.Abstain;
        }
        string UnitId(int i) => $"{i / 120 + 1}-{i / 4 % 30 + 1:D2}{i % 4 + 1:D2}"; // building-floorroom, unique per i
        void Add(string[] owners, bool developer, string choice)
        {
            units.Add(new ElectorateUnit(UnitId(units.Count), owners.Select(o => new string(o.AsSpan())).ToList(), Area(), developer));
            choiceOfUnit.Add(choice);
        }

        var developerChoice = Choice();
        while (units.Count < unitCount)
        {
            var kind = random.Next(100);
            var left = unitCount - units.Count;
            if (kind < 2)
                Add([], developer: true, developerChoice);
            else if (kind < 8 && left >= 3)
            {
                // One owner of 2 or 3 units.
                string[] owners = [NextOwner()];
                var choice = Choice();
                for (var k = random.Next(2, 4); k > 0; k--) Add(owners, developer: false, choice);
            }
            else if (kind < 13 && left >= 2)
            {
                // A couple co-owning a unit; one time in five one of them also owns a second unit alone.
                string[] couple = [NextOwner(), NextOwner()];
                var choice = Choice();
                Add(couple, developer: false, choice);
                if (random.Next(5) == 0) Add([couple[1]], developer: false, choice);
            }
            else
                Add([NextOwner()], developer: false, Choice());
        }

        var order = Enumerable.Range(0, unitCount).ToArray();
        random.Shuffle(order);
        var ballots = new List<TallyBallot>(unitCount);
        foreach (var u in order)
            ballots.Add(TallyBallot.ForUnit(new string(units[u].Unit.AsSpan()), choiceOfUnit[u]));
        return new TallyRequest { Rule = TallyRules.CivilCode278Ordinary, Electorate = units, Ballots = ballots };
    }
}
