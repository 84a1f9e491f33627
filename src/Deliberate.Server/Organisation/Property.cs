namespace Deliberate.Server.Organisation;

/// <summary>
/// An exclusively owned unit (专有部分) in a building, with its area from the property register.
/// Its owners decide together with the others under 民法典 Art. 278.
/// </summary>
public sealed class PropertyUnit
{
    PropertyUnit() { }

    public PropertyUnit(Guid id, Guid buildingId, string number, decimal area, bool developerUnsold = false)
    {
        if (area <= 0) throw new ArgumentOutOfRangeException(nameof(area), "The exclusive area must be positive.");
        Id = id;
        BuildingId = buildingId;
        Number = number;
        Area = area;
        DeveloperUnsold = developerUnsold;
    }

    public Guid Id { get; private set; }
    public Guid BuildingId { get; private set; }
    /// <summary>Building-room, e.g. "1-101".</summary>
    public string Number { get; private set; } = "";
    /// <summary>Exclusive area in m², from the register (else survey, else contract).</summary>
    public decimal Area { get; private set; }
    /// <summary>Unsold or undelivered: all such units of the developer count as one head together.</summary>
    public bool DeveloperUnsold { get; private set; }
    public List<UnitOwnership> Owners { get; private set; } = [];
    /// <summary>单元 (entrance or stairwell) as the register writes it; empty when the building has none.</summary>
    public string Entrance { get; private set; } = "";
    /// <summary>房号 as the register writes it, e.g. "101"; empty for units made before the register kept it.</summary>
    public string Room { get; private set; } = "";
    /// <summary>
    /// When the unit left the register (a re-import without it). Retired, never deleted: ballots and matters name it; a
    /// retired unit is in no new ballot's electorate.
    /// </summary>
    public DateTimeOffset? RetiredAt { get; private set; }

    /// <summary>Places the unit in its building as the register names it.</summary>
    public void Locate(string entrance, string room)
    {
        Entrance = entrance;
        Room = room;
    }

    /// <summary>The area and developer flag from a new register; a retired unit that comes back is in service again.</summary>
    public void Revise(decimal area, bool developerUnsold)
    {
        if (area <= 0) throw new ArgumentOutOfRangeException(nameof(area), "The exclusive area must be positive.");
        Area = area;
        DeveloperUnsold = developerUnsold;
        RetiredAt = null;
    }

    public void Retire(DateTimeOffset at) => RetiredAt ??= at;
}

/// <summary>A person or organisation that owns units; may have a user account.</summary>
public sealed class Owner
{
    Owner() { }

    public Owner(Guid id, string name, bool isDeveloper = false)
    {
        Id = id;
        Name = name;
        IsDeveloper = isDeveloper;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public bool IsDeveloper { get; private set; }
    /// <summary>Mainland mobile number from the register (11 digits), used with <see cref="IdLast4"/> to verify an owner.</summary>
    public string? Phone { get; private set; }
    /// <summary>The last four characters of the owner's ID card (digits or X), as the register lists them.</summary>
    public string? IdLast4 { get; private set; }

    public void Identify(string? phone, string? idLast4)
    {
        Phone = phone;
        IdLast4 = idLast4;
    }
}

/// <summary>One owner of one unit; a unit with two rows is co-owned.</summary>
public sealed class UnitOwnership
{
    UnitOwnership() { }

    public UnitOwnership(Guid unitId, Guid ownerId)
    {
        UnitId = unitId;
        OwnerId = ownerId;
    }

    public Guid UnitId { get; private set; }
    public Guid OwnerId { get; private set; }
    public Owner? Owner { get; private set; }
}
