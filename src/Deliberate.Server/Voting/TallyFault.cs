namespace Deliberate.Server.Voting;

/// <summary>One reason a tally cannot be made, naming the unit or voter it is about, in both languages.</summary>
/// <param name="Code">One of <see cref="TallyFaultCodes"/>.</param>
/// <param name="Item">The offending unit, voter, member or owner identifier (null when the request as a whole is at fault).</param>
public sealed record TallyFault(string Code, string? Item, string MessageZh, string MessageEn)
{
    public string Message(string? culture) =>
        culture is not null && culture.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? MessageEn : MessageZh;
}

/// <summary>
/// A request that cannot be tallied, with all its faults (at most <see cref="TallyFaultCodes.Limit"/> of them): answered
/// as 400 with the first fault's code, the first ten messages and every fault under <c>faults</c>.
/// </summary>
public sealed class TallyException(IReadOnlyList<TallyFault> faults) : Api.DomainRuleException(400, faults[0].Code,
    string.Join("；", faults.Take(10).Select(f => f.MessageZh)) + (faults.Count > 10 ? $"（另有 {faults.Count - 10} 处）" : ""),
    string.Join("; ", faults.Take(10).Select(f => f.MessageEn)) + (faults.Count > 10 ? $" (and {faults.Count - 10} more)" : ""),
    "The tally request is not valid: " + string.Join("; ",
    faults.Take(5).Select(f => f.MessageEn)) + (faults.Count > 5 ? $" (and {faults.Count - 5} more)" : ""))
{
    public IReadOnlyList<TallyFault> Faults { get; } = faults;

    public override IDictionary<string, object?> Extensions() => new Dictionary<string, object?>
    {
        ["faults"] = Faults.Select(f => new { f.Code, f.Item, message = Api.Text.L(f.MessageZh, f.MessageEn) }).ToList(),
    };
}

/// <summary>The fault codes, stable for clients.</summary>
public static class TallyFaultCodes
{
    /// <summary>Faults kept in one exception; one more <see cref="TooManyFaults"/> says how many were left out.</summary>
    public const int Limit = 100;

    public const string UnknownRule = "unknownRule";
    public const string InvalidThreshold = "invalidThreshold";
    public const string DeemedConsentNotAllowed = "deemedConsentNotAllowed";
    public const string EmptyElectorate = "emptyElectorate";
    public const string MissingUnit = "missingUnit";
    public const string DuplicateUnit = "duplicateUnit";
    public const string InvalidArea = "invalidArea";
    public const string InvalidOwner = "invalidOwner";
    public const string UnknownUnit = "unknownUnit";
    public const string EmptyMembers = "emptyMembers";
    public const string InvalidMember = "invalidMember";
    public const string DuplicateMember = "duplicateMember";
    public const string PresentNotMember = "presentNotMember";
    public const string UnknownVoter = "unknownVoter";
    public const string NotAMember = "notAMember";
    public const string AbsentMember = "absentMember";
    public const string UnknownChoice = "unknownChoice";
    public const string ConflictingBallots = "conflictingBallots";
    public const string TooManyFaults = "tooManyFaults";
}

/// <summary>Collects faults up to the limit and counts the rest.</summary>
internal sealed class FaultList
{
    private readonly List<TallyFault> _faults = [];
    private int _dropped;

    public bool Any => _faults.Count > 0;

    public void Add(string code, string? item, string zh, string en)
    {
        if (_faults.Count < TallyFaultCodes.Limit) _faults.Add(new TallyFault(code, item, zh, en));
        else _dropped++;
    }

    /// <summary>Adds another list's faults after this one's (lists filled on other threads, merged in a fixed order).</summary>
    public void Append(FaultList other)
    {
        foreach (var fault in other._faults)
            if (_faults.Count < TallyFaultCodes.Limit) _faults.Add(fault);
            else _dropped++;
        _dropped += other._dropped;
    }

    public void ThrowIfAny()
    {
        if (!Any) return;
        if (_dropped > 0)
            _faults.Add(new TallyFault(TallyFaultCodes.TooManyFaults, null,
                $"另有 {_dropped} 处错误未列出。", $"{_dropped} more faults are not listed."));
        throw new TallyException(_faults);
    }

    /// <summary>Adds the fault and throws at once: the request cannot be read further.</summary>
    public void Fail(string code, string? item, string zh, string en)
    {
        Add(code, item, zh, en);
        ThrowIfAny();
    }
}
