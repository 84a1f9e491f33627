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
    /// <summary>When an administrator retired the node: hidden from pickers and new matters, still shown in history.</summary>
    public DateTimeOffset? RetiredAt { get; private set; }
    /// <summary>
    /// Changes with every edit of the node (rename, move, retire, restore, and a move of a node above it, which rewrites its
    /// path): a concurrency token, so that two edits at once never both win and never leave paths that disagree. The
    /// administrators' tree shows it and each edit sends back the one it was made on, so an edit of a node someone else
    /// changed meanwhile is refused instead of silently undoing theirs.
    /// </summary>
    public Guid Version { get; private set; } = Guid.NewGuid();

    public bool IsRetired => RetiredAt is not null;

    public void Rename(string name)
    {
        Name = name;
        Touch();
    }

    public void Retire(DateTimeOffset now)
    {
        RetiredAt ??= now;
        Touch();
    }

    /// <summary>Back in service (the administrator restores the nodes that were retired together: see OrgAdminApi).</summary>
    public void Restore()
    {
        RetiredAt = null;
        Touch();
    }

    /// <summary>Puts the node under <paramref name="parent"/>; the caller rewrites the paths below it with <see cref="Rebase"/>.</summary>
    public void MoveUnder(OrgUnit parent)
    {
        if (parent.Level + 1 != Level)
            throw new Api.DomainRuleException("levelOutOfOrder", $"“{Name}”不能放在这一级的节点之下。", $"“{Name}” cannot sit under a node of that level.");
        if (Contains(parent))
            throw new Api.DomainRuleException("moveIntoItself", "不能把节点移到它自己或它的下级之下。", "A node cannot be moved under itself or a node below it.");
        ParentId = parent.Id;
        Path = parent.Path + Id.ToString("N") + "/";
        parent.Touch(); // a concurrent move of the new parent conflicts with this one instead of leaving a stale path here
        Touch();
    }

    /// <summary>A node below a moved one: its path's old prefix becomes the new one.</summary>
    public void Rebase(string oldPrefix, string newPrefix)
    {
        Path = newPrefix + Path[oldPrefix.Length..];
        Touch();
    }

    void Touch() => Version = Guid.NewGuid();

    /// <summary>True when <paramref name="other"/> is this node or below it.</summary>
    public bool Contains(OrgUnit other) => other.Path.StartsWith(Path, StringComparison.Ordinal);

    /// <summary>The ids on the path from the root down to this node.</summary>
    public IEnumerable<Guid> AncestorIdsAndSelf() =>
        Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(id => Guid.ParseExact(id, "N"));
}
