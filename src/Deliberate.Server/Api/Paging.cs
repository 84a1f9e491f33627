namespace Deliberate.Server.Api;

/// <summary>One page of a list, with the count of everything that matched.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public static class Paging
{
    /// <summary>Checks the page (from 1) and page size (1 to <paramref name="maxPageSize"/>) a list was asked for.</summary>
    public static void Check(FieldErrors errors, int page, int pageSize, int maxPageSize = 100)
    {
        if (page < 1) errors.Add("page", "页码从 1 开始。", "Pages start at 1.");
        // Bounded so that the offset, (page - 1) × pageSize, can never overflow into a negative OFFSET.
        else if (page > MaxPage) errors.Add("page", $"页码不能超过 {MaxPage}。", $"Pages go up to {MaxPage}.");
        if (pageSize < 1 || pageSize > maxPageSize)
            errors.Add("pageSize", $"每页 1 到 {maxPageSize} 条。", $"Page size must be 1 to {maxPageSize}.");
    }

    /// <summary>The highest page a list may be asked for; with page sizes up to 1,000 the offset stays below 2^31.</summary>
    public const int MaxPage = 1_000_000;

    /// <summary>One page of an ordered query, after <see cref="Check"/> has passed.</summary>
    public static IQueryable<T> Page<T>(this IQueryable<T> ordered, int page, int pageSize) =>
        ordered.Skip((page - 1) * pageSize).Take(pageSize);
}
