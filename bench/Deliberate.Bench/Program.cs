// Run: dotnet run -c Release --project bench/Deliberate.Bench -- <benchmark> [options]
using Deliberate.Bench;

// One subcommand per benchmark; each lives in its own file and returns the process exit code
// (non-zero when it misses its target, so a script can fail on it).
var benchmarks = new Dictionary<string, (string Usage, Func<string[], int> Run)>(StringComparer.Ordinal)
{
    ["tally"] = (TallyBench.Usage, TallyBench.Run),
    ["steps"] = (WorkflowStepsBench.Usage, WorkflowStepsBench.Run),
    ["ballots"] = (BallotsBench.Usage, BallotsBench.Run),
    ["minutes"] = (MinutesBench.Usage, MinutesBench.Run),
    ["load"] = (LoadBench.Usage, LoadBench.Run),
    ["register"] = (RegisterBench.Usage, RegisterBench.Run),
    ["ledger"] = (LedgerBench.Usage, LedgerBench.Run),
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Deliberate.Bench -- <benchmark> [options]");
    foreach (var (name, (usage, _)) in benchmarks)
        Console.Error.WriteLine($"  {name,-8} {usage}");
    return 2;
}
return benchmark.Run(args[1..]);
