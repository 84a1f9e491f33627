namespace Deliberate.Server.Matters;

/// <summary>The six steps of 六事工作法, and the end.</summary>
public enum MatterStep { Raise, Hear, Deliberate, Decide, Execute, Rate, Closed }

/// <summary>The grid worker's triage (三事分流), plus matters that go beyond the community.</summary>
public enum MatterTriage { Private, Minor, Major, Escalate }

/// <summary>A matter (事项) a resident raised, carried through the six steps by its workflow.</summary>
public sealed class Matter
{
    public const int MaxTitleLength = 100;
    public const int MaxDescriptionLength = 2000;
    public const int MaxPhotos = 9;

    Matter() { }

    public Matter(Guid id, string title, string description, string category, Guid gridId, Guid? buildingId,
        string? location, bool anonymous, string? contactPhone, Guid raisedById, string source, DateTimeOffset raisedAt)
    {
        Id = id;
        Title = title;
        Description = description;
        Category = category;
        GridId = gridId;
        BuildingId = buildingId;
        Location = location;
        Anonymous = anonymous;
        ContactPhone = contactPhone;
        RaisedById = raisedById;
        Source = source;
        RaisedAt = raisedAt;
        StepChangedAt = raisedAt;
    }

    public Guid Id { get; private set; }
    public string Title { get; private set; } = "";
    public string Description { get; private set; } = "";
    public string Category { get; private set; } = "";
    public Guid GridId { get; private set; }
    public Guid? BuildingId { get; private set; }
    public string? Location { get; private set; }
    /// <summary>The raiser's name is hidden from everyone but the staff who must contact them.</summary>
    public bool Anonymous { get; private set; }
    public string? ContactPhone { get; private set; }
    public Guid RaisedById { get; private set; }
    /// <summary>resident, gridWorker (随手拍 on someone's behalf), or hotline (12345).</summary>
    public string Source { get; private set; } = "resident";
    public DateTimeOffset RaisedAt { get; private set; }
    public MatterStep Step { get; private set; } = MatterStep.Raise;
    public DateTimeOffset StepChangedAt { get; private set; }
    public MatterTriage? Triage { get; private set; }
    /// <summary>Visible to every resident of the community (minor and major matters once heard).</summary>
    public bool IsPublic { get; private set; }
    public string? Resolution { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public Guid? WorkflowInstanceId { get; private set; }
    /// <summary>The raiser's Idempotency-Key, unique per raiser: a retried raise finds this matter instead of raising another.</summary>
    public string? RequestKey { get; private set; }

    public void AttachWorkflow(Guid instanceId) => WorkflowInstanceId = instanceId;

    public void SetRequestKey(string? key) => RequestKey = key;

    /// <summary>Moves the matter to a step, as its workflow says. A closed matter stays closed.</summary>
    public void MoveTo(MatterStep step, DateTimeOffset now, MatterTriage? triage = null, string? resolution = null)
    {
        if (Step == MatterStep.Closed)
            throw new InvalidOperationException("The matter is closed; it cannot move to another step.");
        Step = step;
        StepChangedAt = now;
        if (triage is { } t)
        {
            Triage = t;
            IsPublic = t is MatterTriage.Minor or MatterTriage.Major or MatterTriage.Escalate;
        }
        if (!string.IsNullOrWhiteSpace(resolution)) Resolution = resolution;
        if (step == MatterStep.Closed) ClosedAt = now;
    }

}

/// <summary>The categories a matter can have, with their names in both languages.</summary>
public static class MatterCategories
{
    public static readonly IReadOnlyList<(string Code, string Zh, string En)> All =
    [
        ("environment", "环境卫生", "Environment and sanitation"),
        ("facilities", "设施维修", "Facility repairs"),
        ("parking", "停车管理", "Parking"),
        ("property", "物业服务", "Property services"),
        ("neighbours", "邻里纠纷", "Neighbour disputes"),
        ("safety", "安全隐患", "Safety hazards"),
        ("elevator", "加装电梯", "Elevator retrofit"),
        ("greening", "绿化养护", "Greening"),
        ("other", "其他", "Other"),
    ];

    public static bool IsKnown(string? code) => All.Any(c => c.Code == code);
}
