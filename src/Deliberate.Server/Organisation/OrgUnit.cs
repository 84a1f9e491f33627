namespace Deliberate.Server.Organisation;

/// <summary>The levels of the organisation tree, top down.</summary>
public enum OrgLevel { District, Street, Community, Grid, Building }

/// <summary>
/// A node of the organisation tree: district → street → community → grid → building.
/// <see cref="Path"/> lists the ids from the root ("/a/b/c/"), so "within a scope" is a prefix test.
/// </summary>
public sealed class OrgUnit
{
    OrgUnit() { }

    public OrgUnit(Guid id, OrgLevel level, string name, OrgUnit? parent)
    {
        if (parent is not null && parent.Level + 1 != level)
            throw new ArgumentException($"A {level} cannot sit under a {parent.Level}.");
        Id = id;
        Level = level;
        Name = name;
        ParentId = parent?.Id;
        Path = (parent?.Path ?? "/") + id.ToString("N") + "/";
    }

    public Guid Id { get; private set; }
    public OrgLevel Level { get; private set; }
    public string Name { get; private set; } = "";
    public Guid? ParentId { get; private set; }
    public string Path { get; private set; } = "";

    /// <summary>True when <paramref name="other"/> is this node or below it.</summary>
    public bool Contains(OrgUnit other) => other.Path.StartsWith(Path, StringComparison.Ordinal);

    /// <summary>The ids on the path from the root down to this node.</summary>
    public IEnumerable<Guid> AncestorIdsAndSelf() =>
        Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(id => Guid.ParseExact(id, "N"));
}
