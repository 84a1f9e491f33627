using System.Linq.Expressions;

namespace Deliberate.Server.Organisation;

/// <summary>
/// "The nodes under these paths": the one scope query every <c>*Access</c> class and the measures use. A path lists
/// the ids from the root and ends with "/" ("/a/b/"), so a prefix match on it never reaches a sibling whose id
/// merely starts the same way. EF translates each test to <c>Path LIKE '/a/b/%'</c>.
/// </summary>
public static class OrgScopes
{
    static readonly System.Reflection.MethodInfo StartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;

    /// <summary>The nodes at or below any of <paramref name="paths"/> (none when there is no path).</summary>
    public static IQueryable<OrgUnit> Under(this IQueryable<OrgUnit> units, IEnumerable<string> paths)
    {
        var unit = Expression.Parameter(typeof(OrgUnit), "o");
        var path = Expression.Property(unit, nameof(OrgUnit.Path));
        Expression? any = null;
        foreach (var p in paths.Distinct())
        {
            var test = Expression.Call(path, StartsWith, Expression.Constant(p));
            any = any is null ? test : Expression.OrElse(any, test);
        }
        return units.Where(Expression.Lambda<Func<OrgUnit, bool>>(any ?? Expression.Constant(false), unit));
    }

    /// <summary>The nodes of one level at or below any of <paramref name="paths"/>.</summary>
    public static IQueryable<OrgUnit> Under(this IQueryable<OrgUnit> units, IEnumerable<string> paths, OrgLevel level) =>
        units.Where(o => o.Level == level).Under(paths);
}
