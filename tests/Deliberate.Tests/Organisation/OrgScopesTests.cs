using Deliberate.Server.Organisation;

namespace Deliberate.Tests.Organisation;

public class OrgScopesTests
{
    // Two communities whose ids differ only in the last digit: a prefix test on undelimited ids would mix them up.
    static readonly OrgUnit Street = new(Guid.Parse("10000000-0000-0000-0000-000000000000"), OrgLevel.Street, "街道", null);
    static readonly OrgUnit First = new(Guid.Parse("20000000-0000-0000-0000-000000000001"), OrgLevel.Community, "一社区", Street);
    static readonly OrgUnit Second = new(Guid.Parse("20000000-0000-0000-0000-000000000011"), OrgLevel.Community, "二社区", Street);
    static readonly OrgUnit FirstGrid = new(Guid.Parse("30000000-0000-0000-0000-000000000001"), OrgLevel.Grid, "一网格", First);
    static readonly OrgUnit SecondGrid = new(Guid.Parse("30000000-0000-0000-0000-000000000002"), OrgLevel.Grid, "二网格", Second);
    static readonly IQueryable<OrgUnit> All = new[] { Street, First, Second, FirstGrid, SecondGrid }.AsQueryable();

    static string[] Names(IQueryable<OrgUnit> units) => [.. units.Select(u => u.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public void A_community_scope_holds_the_community_and_its_grids_but_not_a_sibling_whose_id_starts_the_same()
    {
        Assert.Equal(Names(new[] { First, FirstGrid }.AsQueryable()), Names(All.Under([First.Path])));
        Assert.DoesNotContain(Second, All.Under([First.Path]));
    }

    [Fact]
    public void Several_paths_are_one_scope_and_overlapping_paths_give_each_node_once()
    {
        Assert.Equal(5, All.Under([Street.Path, First.Path, First.Path]).Count());
        Assert.Equal(Names(new[] { FirstGrid, SecondGrid }.AsQueryable()), Names(All.Under([First.Path, Second.Path], OrgLevel.Grid)));
    }

    [Fact]
    public void No_path_is_no_scope_and_the_root_is_everything()
    {
        Assert.Empty(All.Under([]));
        Assert.Equal(5, All.Under(["/"]).Count());
    }

    [Fact]
    public void A_level_keeps_only_the_nodes_of_that_level()
    {
        Assert.Equal(Names(new[] { First, Second }.AsQueryable()), Names(All.Under([Street.Path], OrgLevel.Community)));
    }
}
