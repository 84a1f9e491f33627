namespace Deliberate.Server.Register;

/// <summary>
/// One applied import of a community's register: who, when and what it changed (the audit chain records this row with
/// the units it wrote). <see cref="Sequence"/> numbers the imports of a community, unique: two applies built on the same
/// register both claim the next number and only one can be written — the other is refused, nothing half-written.
/// </summary>
public sealed class RegisterImport
{
    RegisterImport() { }

    public RegisterImport(Guid id, Guid communityId, int sequence, Guid appliedById, DateTimeOffset appliedAt, string fileName,
        int added, int changed, int removed, int units, int heads, decimal area)
    {
        Id = id;
        CommunityId = communityId;
        Sequence = sequence;
        AppliedById = appliedById;
        AppliedAt = appliedAt;
        FileName = fileName;
        Added = added;
        Changed = changed;
        Removed = removed;
        Units = units;
        Heads = heads;
        Area = area;
    }

    public Guid Id { get; private set; }
    public Guid CommunityId { get; private set; }
    public int Sequence { get; private set; }
    public Guid AppliedById { get; private set; }
    public DateTimeOffset AppliedAt { get; private set; }
    public string FileName { get; private set; } = "";
    public int Added { get; private set; }
    public int Changed { get; private set; }
    public int Removed { get; private set; }
    /// <summary>The register after the import: units in service, heads by Art. 278's counting, and their total area.</summary>
    public int Units { get; private set; }
    public int Heads { get; private set; }
    public decimal Area { get; private set; }
}
