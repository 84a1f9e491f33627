using Deliberate.Server.Identity;
using Deliberate.Server.Organisation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Deliberate.Server.Data;

/// <summary>
/// Demo data for a new database in demo mode: one street with two communities, grids, buildings,
/// units with areas and owners (one owner of two units, a co-owned unit, the developer's unsold
/// units), a user for every role and an account for every owner. Password: Demo#2026.
/// </summary>
public static class DemoData
{
    /// <summary>Fixed ids, so that tests and docs can name the places.</summary>
    public static class Ids
    {
        public static readonly Guid District = new("0d000000-0000-7000-8000-000000000001");
        public static readonly Guid Street = new("0d000000-0000-7000-8000-000000000002");
        public static readonly Guid Xingfuli = new("0d000000-0000-7000-8000-000000000010");
        public static readonly Guid XingfuliGrid1 = new("0d000000-0000-7000-8000-000000000011");
        public static readonly Guid XingfuliGrid2 = new("0d000000-0000-7000-8000-000000000012");
        public static readonly Guid Heping = new("0d000000-0000-7000-8000-000000000020");
        public static readonly Guid HepingGrid1 = new("0d000000-0000-7000-8000-000000000021");

        public static Guid Building(Guid community, int number) =>
            new($"0d000000-0000-7000-8000-0000000{(community == Xingfuli ? 1 : 2)}{number:D4}");
    }

    static readonly string[] Surnames = ["张", "李", "王", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"];
    static readonly string[] GivenNames = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
        "秀兰", "霞", "平", "刚", "桂英"];

    public static async Task SeedAsync(DeliberateDbContext db, IPasswordHasher<User> hasher, DateTimeOffset now, CancellationToken ct = default)
    {
        if (await db.OrgUnits.AnyAsync(ct)) return; // only a new database

        var district = new OrgUnit(Ids.District, OrgLevel.District, "示范区", null);
        var street = new OrgUnit(Ids.Street, OrgLevel.Street, "示范街道", district);
        var xingfuli = new OrgUnit(Ids.Xingfuli, OrgLevel.Community, "幸福里社区", street);
        var heping = new OrgUnit(Ids.Heping, OrgLevel.Community, "和平社区", street);
        var xGrid1 = new OrgUnit(Ids.XingfuliGrid1, OrgLevel.Grid, "第一网格", xingfuli);
        var xGrid2 = new OrgUnit(Ids.XingfuliGrid2, OrgLevel.Grid, "第二网格", xingfuli);
        var hGrid1 = new OrgUnit(Ids.HepingGrid1, OrgLevel.Grid, "第一网格", heping);
        db.OrgUnits.AddRange(district, street, xingfuli, heping, xGrid1, xGrid2, hGrid1);

        var buildings = new List<(OrgUnit Building, int Number, int Floors, decimal[] Areas)>();
        void Building(OrgUnit community, OrgUnit grid, int number, int floors, params decimal[] areas)
        {
            var building = new OrgUnit(Ids.Building(community.Id, number), OrgLevel.Building, $"{number}号楼", grid);
            db.OrgUnits.Add(building);
            buildings.Add((building, number, floors, areas));
        }
        Building(xingfuli, xGrid1, 1, 6, 89.50m, 105.20m);
        Building(xingfuli, xGrid1, 2, 6, 89.50m, 105.20m);
        Building(xingfuli, xGrid2, 3, 6, 76.30m, 120.45m);
        Building(xingfuli, xGrid2, 4, 6, 76.30m, 120.45m);
        Building(heping, hGrid1, 1, 2, 68.80m, 92.60m);
        Building(heping, hGrid1, 2, 2, 68.80m, 92.60m);

        var hash = hasher.HashPassword(null!, DemoOptions.Password); // one hash for all demo accounts: demo only
        var ownersByName = new Dictionary<string, Owner>();
        var accounts = new Dictionary<Guid, (User User, OrgUnit Building)>();
        var index = 0;
        Owner OwnerNamed(string name, bool developer = false)
        {
            if (ownersByName.TryGetValue(name, out var owner)) return owner;
            owner = new Owner(Guid.CreateVersion7(), name, developer);
            ownersByName[name] = owner;
            db.Owners.Add(owner);
            return owner;
        }

        // Special owners, by unit: the product's tally must handle each of them.
        var special = new Dictionary<string, string[]>
        {
            ["1-101"] = ["王建国"], ["3-202"] = ["王建国"],   // one owner of two units: one head
            ["2-301"] = ["李明", "张丽"],                      // co-owners: one head
            ["1-102"] = ["陈晓燕"],                            // the demo resident
        };
        var unsold = new HashSet<string> { "4-501", "4-502", "4-601", "4-602" }; // the developer's: one head together

        foreach (var (building, number, floors, areas) in buildings)
        {
            var community = building.Path.Contains(Ids.Heping.ToString("N")) ? "hp" : "xf";
            for (var floor = 1; floor <= floors; floor++)
                for (var door = 1; door <= 2; door++)
                {
                    var label = $"{number}-{floor}{door:D2}";
                    var isUnsold = community == "xf" && unsold.Contains(label);
                    var unit = new PropertyUnit(Guid.CreateVersion7(), building.Id, label, areas[door - 1], isUnsold);
                    db.PropertyUnits.Add(unit);
                    string[] names = isUnsold ? ["幸福置业有限公司"]
                        : community == "xf" && special.TryGetValue(label, out var s) ? s
                        : [Surnames[index % Surnames.Length] + GivenNames[index++ * 7 % GivenNames.Length]];
                    for (var n = 0; n < names.Length; n++)
                    {
                        var name = names[n];
                        var owner = OwnerNamed(name, developer: isUnsold);
                        db.UnitOwnerships.Add(new UnitOwnership(unit.Id, owner.Id));
                        if (accounts.ContainsKey(owner.Id)) continue;
                        var userName = isUnsold ? "developer" : name == "陈晓燕" ? "resident"
                            : $"owner-{community}-{label}" + (names.Length > 1 ? $"-{n + 1}" : ""); // co-owners: -1, -2
                        var user = new User(Guid.CreateVersion7(), userName, name, hash, isDemo: true, ownerId: owner.Id);
                        user.Grant(Role.Resident, building.Id);
                        db.Users.Add(user);
                        accounts[owner.Id] = (user, building);
                    }
                }
        }

        void Staff(string userName, string name, Role role, OrgUnit scope)
        {
            var user = new User(Guid.CreateVersion7(), userName, name, hash, isDemo: true);
            user.SetEmail($"{userName}@demo.deliberate.local"); // mail goes nowhere unless Notifications:Smtp is set up
            user.Grant(role, scope.Id);
            db.Users.Add(user);
        }
        Staff("admin", "系统管理员", Role.Admin, district);
        Staff("secretary", "刘书记", Role.PartySecretary, xingfuli);
        Staff("gridworker", "赵网格", Role.GridWorker, xGrid1);
        Staff("gridworker2", "钱网格", Role.GridWorker, xGrid2);
        Staff("residents-committee", "孙主任", Role.ResidentsCommittee, xingfuli);
        Staff("owners-committee", "周主任", Role.OwnersCommittee, xingfuli);
        Staff("property", "吴经理", Role.PropertyCompany, xingfuli);
        Staff("street", "郑科长", Role.StreetOfficer, street);
        Staff("department", "冯科员", Role.DepartmentOfficer, district);
        Staff("designer", "钱设计", Role.WorkflowDesigner, district);
        // The second community, so that scoping can be seen and tested.
        Staff("hp-secretary", "何书记", Role.PartySecretary, heping);
        Staff("hp-gridworker", "高网格", Role.GridWorker, hGrid1);
        Staff("hp-property", "林经理", Role.PropertyCompany, heping);

        // 幸福里社区's review cycles: 月商 on the first Tuesday of each month at 15:00 (not in the National Day week), 周会 each Monday at 9:00.
        var secretaryId = db.Users.Local.Single(u => u.UserName == "secretary").Id;
        var monthly = new ReviewCycles.ReviewCycle(new Guid("0d000000-0000-7000-8000-0000000c0001"), Ids.Xingfuli, secretaryId, now);
        monthly.Edit("月度四方联席会议（月商）", Meetings.MeetingType.FourParty, "0 0 15 ? * TUE#1", ReviewCycles.ReviewCycle.DefaultTimeZone,
            [new DateOnly(2026, 10, 6)], secretaryId, null);
        var weekly = new ReviewCycles.ReviewCycle(new Guid("0d000000-0000-7000-8000-0000000c0002"), Ids.Xingfuli, secretaryId, now);
        weekly.Edit("社区工作周会", Meetings.MeetingType.FourParty, "0 0 9 ? * MON", ReviewCycles.ReviewCycle.DefaultTimeZone,
            [new DateOnly(2026, 10, 5)], null, Role.PartySecretary);
        db.ReviewCycles.AddRange(monthly, weekly);

        await db.SaveChangesAsync(ct);
        await DemoMeeting.SeedAsync(db, now, ct);
    }
}
