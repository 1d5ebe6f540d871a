namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>The implemented Nexmark queries by reference name (<c>q0</c>, <c>q1</c>, ...).</summary>
public static class NexmarkQueries
{
    private static readonly INexmarkQuery[] Queries =
    [
        new Q0PassThrough(),
        new Q1CurrencyConversion(),
        new Q2Selection(),
        new Q3LocalItemSuggestion(),
        new Q4AveragePriceForCategory(),
        new Q5HotItems(),
        new Q7HighestBid(),
        new Q8MonitorNewUsers(),
        new Q9WinningBids(),
        new Q10LogToFileSystem(),
        new Q11UserSessions(),
        new Q12ProcessingTimeWindows(),
        new Q13BoundedSideInputJoin(),
        new Q14Calculation(),
        new Q15BiddingStatistics(),
        new Q16ChannelStatistics(),
        new Q17AuctionStatistics(),
        new Q18FindLastBid(),
        new Q19AuctionTopPrices(),
        new Q20ExpandBidWithAuction(),
        new Q21AddChannelId(),
        new Q22UrlDirectories(),
    ];

    /// <summary>All implemented queries, in reference order.</summary>
    public static IReadOnlyList<INexmarkQuery> All => Queries;

    /// <summary>The names of the implemented queries.</summary>
    public static IReadOnlyList<string> Names => Queries.Select(q => q.Name).ToList();

    /// <summary>The query named <paramref name="name"/> (case-insensitive), or false.</summary>
    public static bool TryGet(string name, out INexmarkQuery query)
    {
        query = Queries.FirstOrDefault(q => string.Equals(q.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return query is not null;
    }

    /// <summary>The query named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No such query is implemented.</exception>
    public static INexmarkQuery Get(string name) =>
        TryGet(name, out var query) ? query
            : throw new ArgumentException($"Unknown Nexmark query '{name}'; implemented: {string.Join(", ", Names)}.", nameof(name));
}
