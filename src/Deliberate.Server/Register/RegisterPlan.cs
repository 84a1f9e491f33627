using System.Globalization;
using System.Text.RegularExpressions;
using Deliberate.Server.Data;
using Deliberate.Server.Organisation;
using Deliberate.Server.Voting;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Register;

/// <summary>A problem of one row, in both languages (the API answers in the caller's, the page shows it by row and column).</summary>
public sealed record RegisterProblem(int Row, string Column, string Code, string MessageZh, string MessageEn);

/// <summary>A person as the register identifies them: name + phone + ID last four ("" when not given).</summary>
public sealed record OwnerKey(string Name, string Phone, string IdLast4)
{
    public override string ToString() => $"{Name}|{Phone}|{IdLast4}";
}

/// <summary>One unit as the file says it should be.</summary>
public sealed record PlannedUnit(int Row, string Building, string Entrance, string Room, string Number, decimal Area, bool DeveloperUnsold,
    IReadOnlyList<OwnerKey> Owners);

public enum UnitChange { Added, Changed, Removed, Unchanged }

/// <summary>A line of the diff shown in the preview.</summary>
public sealed record UnitDiff(string Change, string Building, string Number, string? Before, string? After);

/// <summary>The register after the import, counted the law's way.</summary>
public sealed record RegisterTotals(int Units, int Heads, decimal Area);

/// <summary>
/// What a file would do to a community's register: its problems, the diff against the register in force and the totals.
/// Built from the rows alone plus the register as read when the preview was made; apply re-reads the register and refuses when
/// it changed since (another import), so that what is applied is exactly what was previewed.
/// </summary>
public sealed class RegisterPlan
{
    public const decimal MinArea = 5m, MaxArea = 2000m;
    /// <summary>The last four of a Chinese ID number: digits, X only as the check character at the end.</summary>
    static readonly Regex IdTail = new(@"^[0-9]{3}[0-9X]$", RegexOptions.CultureInvariant);
    /// <summary>Words of an organisation's name: a developer's unsold unit is owned by one, not by a person.</summary>
    static readonly string[] OrganisationWords =
        ["公司", "集团", "置业", "地产", "房产", "开发", "实业", "投资", "发展", "建设", "控股", "有限", "企业", "中心", "合作社", "政府", "委员会"];
    static readonly char[] CoOwnerSeparators = ['、', ';', '；', ',', '，'];

    public required Guid CommunityId { get; init; }
    public Guid? GridId { get; init; }
    public required string FileName { get; init; }
    /// <summary>The community's last import when the preview was made (0: none).</summary>
    public required int BaseSequence { get; init; }
    public List<RegisterProblem> Problems { get; } = [];
    public List<PlannedUnit> Units { get; } = [];
    public List<UnitDiff> Diff { get; } = [];
    public List<string> NewBuildings { get; } = [];
    public int Added { get; set; }
    public int Changed { get; set; }
    public int Removed { get; set; }
    public int Unchanged { get; set; }
    public RegisterTotals Totals { get; set; } = new(0, 0, 0);
    /// <summary>The file's rows (blank lines not counted).</summary>
    public int Rows { get; init; }
    /// <summary>The units in service when the preview was made.</summary>
    public int InForce { get; private set; }

    /// <summary>
    /// A re-import is a diff of the whole community: a unit the file lacks is retired. Retiring units from a file of no rows, or
    /// more than a fifth of the units in service, is applied only when the committee confirms the number (tester, issue 18).
    /// </summary>
    public bool RemovalsNeedConfirmation => Removed > 0 && (Rows == 0 || Removed * 5 > InForce);

    /// <summary>The share of the units in service the plan retires, in per cent (one decimal).</summary>
    public decimal RemovedPercent => InForce == 0 ? 0 : Math.Round(100m * Removed / InForce, 1);

    /// <summary>Said with every preview that retires units; null when it retires none.</summary>
    public (string Zh, string En)? RemovalWarning => Removed == 0 ? null
        : ($"本次导入将注销 {Removed:N0} 套房屋（占在册房屋的 {RemovedPercent:0.#}%）。重新导入按整个社区比对：文件中没有的房屋都会注销，"
            + "其业主不再参加新的表决。请勿按楼栋或只用变动的房屋分开导入。" + (RemovalsNeedConfirmation ? "确认导入时须再次确认注销的套数。" : ""),
            $"This import retires {Removed:N0} unit(s) ({RemovedPercent:0.#}% of the units in service). A re-import is compared with the whole "
            + "community: every unit the file lacks is retired and its owners are in no new ballot. Do not import by building or only the "
            + "changed units." + (RemovalsNeedConfirmation ? " Applying it asks you to confirm the number retired." : ""));

    /// <summary>"1号楼" + "" + "101" → "1-101"; with an entrance "1-2-101". The short building drops 号楼/栋/幢/号 (as the demo data names units).</summary>
    public static string NumberOf(string building, string entrance, string room)
    {
        var b = building;
        foreach (var suffix in new[] { "号楼", "栋", "幢", "号", "楼" })
            if (b.Length > suffix.Length && b.EndsWith(suffix, StringComparison.Ordinal)) { b = b[..^suffix.Length]; break; }
        return entrance.Length == 0 ? $"{b}-{room}" : $"{b}-{entrance}-{room}";
    }

    /// <summary>The register in force: units (retired ones too) under the community, with their building and owners.</summary>
    public sealed record CurrentUnit(Guid Id, string Building, Guid BuildingId, string Entrance, string Room, string Number, decimal Area,
        bool DeveloperUnsold, bool Retired, IReadOnlyList<OwnerKey> Owners);

    public static async Task<List<CurrentUnit>> CurrentAsync(DeliberateDbContext db, OrgUnit community, CancellationToken ct)
    {
        var buildings = await db.OrgUnits.AsNoTracking().Where(o => o.Level == OrgLevel.Building && o.Path.StartsWith(community.Path))
            .Select(o => new { o.Id, o.Name }).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var ids = buildings.Keys.ToList();
        var units = await db.PropertyUnits.AsNoTracking().Where(u => ids.Contains(u.BuildingId))
            .Select(u => new
            {
                u.Id, u.BuildingId, u.Entrance, u.Room, u.Number, u.Area, u.DeveloperUnsold, u.RetiredAt,
                Owners = u.Owners.Select(o => new { o.Owner!.Name, o.Owner.Phone, o.Owner.IdLast4 }).ToList(),
            }).ToListAsync(ct);
        return units.Select(u => new CurrentUnit(u.Id, buildings[u.BuildingId], u.BuildingId, u.Entrance, u.Room, u.Number, u.Area,
                u.DeveloperUnsold, u.RetiredAt is not null,
                u.Owners.Select(o => new OwnerKey(o.Name, o.Phone ?? "", o.IdLast4 ?? "")).OrderBy(k => k.ToString(),
                    StringComparer.Ordinal).ToList()))
            .OrderBy(u => u.Number, StringComparer.Ordinal).ToList();
    }

    /// <summary>A building of the community as the register finds it by name.</summary>
    public sealed record BuildingName(Guid Id, string Name, bool Retired);

    /// <summary>
    /// The community's buildings by name: a building in service before a retired one of the same name; null for a name two buildings
    /// in service (or, with none in service, two retired ones) share — the register cannot tell which is meant.
    /// </summary>
    public static Dictionary<string, Guid?> ByName(IEnumerable<BuildingName> buildings) =>
        buildings.GroupBy(b => b.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g =>
        {
            var live = g.Where(b => !b.Retired).ToList();
            var candidates = live.Count > 0 ? live : g.ToList();
            return candidates.Count == 1 ? candidates[0].Id : (Guid?)null;
        }, StringComparer.Ordinal);

    /// <summary>Checks every row and compares the file with the register in force. <paramref name="ambiguousBuildings"/>: names two of the
    /// community's buildings share (<see cref="ByName"/>).</summary>
    public static RegisterPlan Make(Guid communityId, Guid? gridId, string fileName, int baseSequence, IReadOnlyList<RegisterRow> rows,
        IReadOnlyList<CurrentUnit> current, IReadOnlyCollection<string> buildingNames, IReadOnlyCollection<string>? ambiguousBuildings = null)
    {
        var plan = new RegisterPlan
        {
            CommunityId = communityId, GridId = gridId, FileName = fileName, BaseSequence = baseSequence, Rows = rows.Count,
        };
        var seen = new Dictionary<(string, string), int>();
        foreach (var row in rows) plan.Check(row, seen, buildingNames, ambiguousBuildings ?? []);
        plan.Compare(current);
        return plan;
    }

    void Problem(RegisterRow row, string column, string code, string zh, string en) =>
        Problems.Add(new RegisterProblem(row.Row, column, code, $"第 {row.Row} 行“{column}”：{zh}", $"Row {row.Row}, column {column}: {en}"));

    void Check(RegisterRow row, Dictionary<(string, string), int> seen, IReadOnlyCollection<string> buildingNames,
        IReadOnlyCollection<string> ambiguousBuildings)
    {
        var before = Problems.Count;
        if (row.Building.Length == 0) Problem(row, "楼栋", "missing", "未填写楼栋。", "the building is missing.");
        else if (row.Building.Length > 50) Problem(row, "楼栋", "tooLong", "楼栋名称过长（最多 50 字）。", "the building name is longer than 50 characters.");
        else if (ambiguousBuildings.Contains(row.Building))
            Problem(row, "楼栋", "ambiguousBuilding", $"本社区有两个名为“{row.Building}”的楼栋，无法确定是哪一个。请先在组织架构中为其中一个改名。",
                $"the community has two buildings named '{row.Building}'; rename one of them in the organisation tree first.");
        else if (!buildingNames.Contains(row.Building))
        {
            if (GridId is null)
                Problem(row, "楼栋", "unknownBuilding", $"本社区没有“{row.Building}”。请先建立该楼栋，或在导入时选择网格以自动建立。",
                    $"the community has no building '{row.Building}'. Create it first, or choose a grid to create it in.");
            else if (!NewBuildings.Contains(row.Building)) NewBuildings.Add(row.Building);
        }
        if (row.Entrance.Length > 10) Problem(row, "单元", "tooLong", "单元过长（最多 10 字）。", "the entrance is longer than 10 characters.");
        if (row.Room.Length == 0) Problem(row, "房号", "missing", "未填写房号。", "the room is missing.");
        else if (row.Room.Length > 10) Problem(row, "房号", "tooLong", "房号过长（最多 10 字）。", "the room is longer than 10 characters.");
        else if (row.Building.Length > 0)
        {
            var key = (row.Building, NumberOf(row.Building, row.Entrance, row.Room));
            if (seen.TryGetValue(key, out var first))
                Problem(row, "房号", "duplicateUnit", $"与第 {first} 行是同一套房屋（{row.Building} {key.Item2}）。",
                    $"the same unit as row {first} ({row.Building} {key.Item2}).");
            else seen[key] = row.Row;
        }

        decimal area = 0;
        if (row.Area.Length == 0) Problem(row, "专有部分面积", "missing", "未填写面积。", "the area is missing.");
        else if (!decimal.TryParse(row.Area, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out area))
            Problem(row, "专有部分面积", "notNumber", $"“{row.Area}”不是数字（单位平方米，如 89.50）。", $"'{row.Area}' is not a number (m², e.g. 89.50).");
        else if (area <= 0) Problem(row, "专有部分面积", "areaNotPositive", $"面积 {row.Area} 必须大于 0。", $"the area {row.Area} must be above 0.");
        else if (decimal.Round(area, 2) != area)
            Problem(row, "专有部分面积", "areaDecimals", $"面积 {row.Area} 最多两位小数。", $"the area {row.Area} has more than two decimals.");
        else if (area < MinArea || area > MaxArea)
            Problem(row, "专有部分面积", "areaImplausible", $"面积 {row.Area} 平方米不合常理（应在 {MinArea}–{MaxArea} 之间），请核对。",
                $"an area of {row.Area} m² is implausible (expected {MinArea}–{MaxArea}); check it.");

        bool developer = false;
        switch (row.DeveloperUnsold)
        {
            case "是" or "Y" or "y" or "1": developer = true; break;
            case "否" or "" or "N" or "n" or "0": break;
            default:
                Problem(row, "是否开发商未售", "notYesNo", $"应填“是”或“否”，而不是“{row.DeveloperUnsold}”。",
                    $"write 是 (yes) or 否 (no), not '{row.DeveloperUnsold}'."); break;
        }

        var name = row.OwnerName;
        if (name.Length == 0 && !developer)
            Problem(row, "业主姓名", "missingOwner", "未填写业主姓名（只有开发商未售的房屋可以不填）。",
                "the owner is missing (only a developer's unsold unit may have none).");
        else if (name.Length > 100) Problem(row, "业主姓名", "tooLong", "业主姓名过长（最多 100 字）。", "the owner's name is longer than 100 characters.");
        var normalised = SignUp.PhoneCodes.Normalise(row.Phone);
        var phone = normalised ?? row.Phone.Trim();
        if (phone.Length > 0 && normalised is null)
            Problem(row, "手机号", "badPhone", $"“{row.Phone}”不是 11 位大陆手机号。", $"'{row.Phone}' is not an 11-digit mainland mobile number.");
        var idLast4 = row.IdLast4.ToUpperInvariant();
        if (idLast4.Length > 0 && !IdTail.IsMatch(idLast4))
            Problem(row, "证件号后四位", "badIdLast4", $"“{row.IdLast4}”应为 4 位数字（最后一位可以是 X）。",
                $"'{row.IdLast4}' must be 4 digits (the last may be X).");

        var coOwners = row.CoOwners.Split(CoOwnerSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (name.Length > 0) names.Add(name);
        foreach (var co in coOwners)
            if (!names.Add(co))
                Problem(row, "共有人", "duplicateCoOwner", $"“{co}”重复列出。", $"'{co}' is listed twice.");
            else if (co.Length > 100) Problem(row, "共有人", "tooLong", "共有人姓名过长（最多 100 字）。", "a co-owner's name is longer than 100 characters.");

        // A developer's unsold unit is the developer's: a person named as its owner, with a phone, ID digits or co-owners, contradicts
        // the row (is it sold?) and would be counted as the developer's one head (tester, issue 18).
        var person = name.Length > 0 && !OrganisationWords.Any(w => name.Contains(w, StringComparison.Ordinal));
        if (developer && (person || phone.Length > 0 || idLast4.Length > 0 || coOwners.Count > 0))
            Problem(row, "业主姓名", "developerWithOwner", person
                    ? $"开发商未售的房屋，业主应为开发商（单位名称）或不填，不能是个人“{name}”；如已售出，请把“是否开发商未售”改为“否”。"
                    : "开发商未售的房屋不填手机号、证件号后四位和共有人；如已售出，请把“是否开发商未售”改为“否”。",
                person
                    ? $"a developer's unsold unit is owned by the developer (a company name, or blank), not the person '{name}'; if it has been "
                        + "sold, set 是否开发商未售 to 否."
                    : "a developer's unsold unit has no phone, ID digits or co-owners; if it has been sold, set 是否开发商未售 to 否.");

        if (Problems.Count > before) return;
        // The developer's unsold units: one owner (the developer) whatever the row says, so that they are one head together.
        List<OwnerKey> owners = developer
            ? [new OwnerKey(name.Length > 0 ? name : "开发商", "", "")]
            : [new OwnerKey(name, phone, idLast4), .. coOwners.Select(c => new OwnerKey(c, "", ""))];
        Units.Add(new PlannedUnit(row.Row, row.Building, row.Entrance, row.Room, NumberOf(row.Building, row.Entrance, row.Room), area, developer,
            owners.OrderBy(k => k.ToString(), StringComparer.Ordinal).ToList()));
    }

    static string Describe(decimal area, bool developer, IEnumerable<OwnerKey> owners) =>
        $"{area:0.00} m²；" + (developer ? "开发商未售；" : "") + string.Join("、", owners.Select(o => o.Name));

    /// <summary>Names what changed, so that a new phone is not mistaken for a new owner: "孙磊：手机号变更", "业主变更（过户）".</summary>
    static List<string> WhatChanged(CurrentUnit was, PlannedUnit unit)
    {
        var what = new List<string>();
        if (was.Area != unit.Area) what.Add($"面积 {was.Area:0.00} → {unit.Area:0.00} m²");
        if (was.DeveloperUnsold != unit.DeveloperUnsold) what.Add(unit.DeveloperUnsold ? "改为开发商未售" : "不再是开发商未售");
        var wasNames = was.Owners.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var names = unit.Owners.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        if (!wasNames.SetEquals(names)) what.Add("业主变更（过户）");
        foreach (var owner in unit.Owners)
        {
            // The owner of the same name stays the same person on apply (RegisterApply): only their details change.
            if (was.Owners.FirstOrDefault(o => o.Name == owner.Name) is not { } before || before == owner) continue;
            var fields = new List<string>();
            if (before.Phone != owner.Phone) fields.Add("手机号变更");
            if (before.IdLast4 != owner.IdLast4) fields.Add("证件号后四位变更");
            what.Add($"{owner.Name}：{string.Join("、", fields)}");
        }
        return what;
    }

    void Compare(IReadOnlyList<CurrentUnit> current)
    {
        InForce = current.Count(u => !u.Retired);
        // Two buildings of one name are an ambiguity the rows report (ambiguousBuilding); the first unit of a key stands for it here.
        var byKey = new Dictionary<(string, string), CurrentUnit>();
        foreach (var u in current.OrderBy(u => u.Retired)) byKey.TryAdd((u.Building, u.Number), u);
        var inFile = new HashSet<(string, string)>();
        foreach (var unit in Units)
        {
            var key = (unit.Building, unit.Number);
            inFile.Add(key);
            var after = Describe(unit.Area, unit.DeveloperUnsold, unit.Owners);
            if (!byKey.TryGetValue(key, out var was) || was.Retired)
            {
                Added++;
                Diff.Add(new UnitDiff("added", unit.Building, unit.Number, null, after));
            }
            else if (was.Area != unit.Area || was.DeveloperUnsold != unit.DeveloperUnsold || !was.Owners.SequenceEqual(unit.Owners))
            {
                Changed++;
                Diff.Add(new UnitDiff("changed", unit.Building, unit.Number, Describe(was.Area, was.DeveloperUnsold, was.Owners),
                    $"{after}（{string.Join("；", WhatChanged(was, unit))}）"));
            }
            else Unchanged++;
        }
        foreach (var gone in current.Where(u => !u.Retired && !inFile.Contains((u.Building, u.Number))))
        {
            Removed++;
            Diff.Add(new UnitDiff("removed", gone.Building, gone.Number, Describe(gone.Area, gone.DeveloperUnsold, gone.Owners), null));
        }
        Totals = TotalsOf(Units.Select(u => (u.Area, u.DeveloperUnsold, (IReadOnlyList<OwnerKey>)u.Owners)).ToList());
    }

    /// <summary>Units, heads and area, heads counted by the tally's own grouping (<see cref="Tally.HeadsOf"/>): one per owner across units,
    /// co-owners one, the developer's unsold units one together.</summary>
    public static RegisterTotals TotalsOf(IReadOnlyList<(decimal Area, bool DeveloperUnsold, IReadOnlyList<OwnerKey> Owners)> units)
    {
        if (units.Count == 0) return new RegisterTotals(0, 0, 0);
        var electorate = units.Select((u, i) => new ElectorateUnit($"u{i}", u.Owners.Select(o => o.ToString()).ToList(), u.Area, u.DeveloperUnsold))
            .ToList();
        var heads = Tally.HeadsOf(electorate);
        return new RegisterTotals(units.Count, heads.Distinct().Count(), units.Sum(u => u.Area));
    }
}
