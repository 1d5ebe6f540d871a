using System.Globalization;
using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;
using StreamShield.Sinks;

using static StreamShield.Tests.Connectors.Nexmark.Queries.NexmarkQueryRuns;

namespace StreamShield.Tests.Connectors.Nexmark.Queries;

/// <summary>
/// Nexmark q15 to q22, run embedded at parallelism 2 over a bounded source, yield exactly what a plain LINQ computation
/// of the reference SQL yields over the generator's events (the final table, for the aggregations).
/// </summary>
public sealed class NexmarkQueriesQ15ToQ22Tests
{

    private static List<Bid> Bids => AllEvents.Value.Where(e => e.Type == EventType.Bid).Select(e => e.Bid!).ToList();
    private static List<Auction> Auctions => AllEvents.Value.Where(e => e.Type == EventType.Auction).Select(e => e.NewAuction!).ToList();



    // ---- plain LINQ references ----

    private static string Day(long time) => DateTimeOffset.FromUnixTimeMilliseconds(time).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string Minute(long time) => DateTimeOffset.FromUnixTimeMilliseconds(time).UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
    private static bool Rank1(Bid b) => b.Price < 10_000;
    private static bool Rank2(Bid b) => b.Price >= 10_000 && b.Price < 1_000_000;
    private static bool Rank3(Bid b) => b.Price >= 1_000_000;

    private static TierCounts Counts(IReadOnlyCollection<Bid> g) => new(
        g.Count, g.Count(Rank1), g.Count(Rank2), g.Count(Rank3),
        g.Select(b => b.Bidder).Distinct().Count(), g.Where(Rank1).Select(b => b.Bidder).Distinct().Count(),
        g.Where(Rank2).Select(b => b.Bidder).Distinct().Count(), g.Where(Rank3).Select(b => b.Bidder).Distinct().Count(),
        g.Select(b => b.Auction).Distinct().Count(), g.Where(Rank1).Select(b => b.Auction).Distinct().Count(),
        g.Where(Rank2).Select(b => b.Auction).Distinct().Count(), g.Where(Rank3).Select(b => b.Auction).Distinct().Count());

    private static IEnumerable<Q15Row> Q15Reference(List<Bid> bids) =>
        bids.GroupBy(b => Day(b.DateTime)).Select(g => new Q15Row(g.Key, Counts(g.ToList())));

    private static IEnumerable<Q16Row> Q16Reference(List<Bid> bids) =>
        bids.GroupBy(b => (b.Channel, Day: Day(b.DateTime)))
            .Select(g => new Q16Row(g.Key.Channel, g.Key.Day, g.Select(b => Minute(b.DateTime)).Max(StringComparer.Ordinal)!, Counts(g.ToList())));

    private static IEnumerable<Q17Row> Q17Reference(List<Bid> bids) =>
        bids.GroupBy(b => (b.Auction, Day: Day(b.DateTime))).Select(g => new Q17Row(
            g.Key.Auction, g.Key.Day, g.Count(), g.Count(Rank1), g.Count(Rank2), g.Count(Rank3),
            g.Min(b => b.Price), g.Max(b => b.Price), g.Sum(b => b.Price) / g.Count(), g.Sum(b => b.Price)));

    private static IEnumerable<Q18Row> Q18Reference(List<Bid> bids) =>
        bids.GroupBy(b => (b.Bidder, b.Auction)).Select(g => g
                .OrderByDescending(b => b.DateTime).ThenByDescending(b => b.Price)
                .ThenByDescending(b => b.Channel, StringComparer.Ordinal).ThenByDescending(b => b.Url, StringComparer.Ordinal)
                .ThenByDescending(b => b.Extra, StringComparer.Ordinal).First())
            .Select(b => new Q18Row(b.Auction, b.Bidder, b.Price, b.Channel, b.Url, b.DateTime, b.Extra));

    private static IEnumerable<Q19Row> Q19Reference(List<Bid> bids) =>
        bids.GroupBy(b => b.Auction).SelectMany(g => g
            .OrderByDescending(b => b.Price).ThenBy(b => b.DateTime).ThenBy(b => b.Bidder)
            .ThenBy(b => b.Channel, StringComparer.Ordinal).ThenBy(b => b.Url, StringComparer.Ordinal).ThenBy(b => b.Extra, StringComparer.Ordinal)
            .Take(10)
            .Select((b, i) => new Q19Row(b.Auction, b.Bidder, b.Price, b.Channel, b.Url, b.DateTime, b.Extra, i + 1)));

    private static IEnumerable<Q20Row> Q20Reference(List<Bid> bids, List<Auction> auctions) =>
        from b in bids
        join a in auctions on b.Auction equals a.Id
        where a.Category == 10
        select new Q20Row(b.Auction, b.Bidder, b.Price, b.Channel, b.Url, b.DateTime, b.Extra,
            a.ItemName, a.Description, a.InitialBid, a.Reserve, a.DateTime, a.Expires, a.Seller, a.Category, a.Extra);

    private static string? UrlChannelId(string url)
    {
        const string parameter = "channel_id=";
        int start;
        if (url.StartsWith(parameter, StringComparison.Ordinal)) start = parameter.Length;
        else
        {
            var at = url.IndexOf("&" + parameter, StringComparison.Ordinal);
            if (at < 0) return null;
            start = at + 1 + parameter.Length;
        }
        var end = url.IndexOf('&', start);
        return end < 0 ? url[start..] : url[start..end];
    }

    private static IEnumerable<Q21Row> Q21Reference(List<Bid> bids)
    {
        var known = new Dictionary<string, string> { ["apple"] = "0", ["google"] = "1", ["facebook"] = "2", ["baidu"] = "3" };
        return from b in bids
               let id = known.TryGetValue(b.Channel.ToLowerInvariant(), out var k) ? k : UrlChannelId(b.Url)
               where id is not null
               select new Q21Row(b.Auction, b.Bidder, b.Price, b.Channel, id);
    }

    private static IEnumerable<Q22Row> Q22Reference(List<Bid> bids) =>
        from b in bids
        let parts = b.Url.Split('/')
        select new Q22Row(b.Auction, b.Bidder, b.Price, b.Channel,
            parts.ElementAtOrDefault(3), parts.ElementAtOrDefault(4), parts.ElementAtOrDefault(5));

    // ---- the queries against their references ----

    [Fact]
    public void Q15CountsBidsBiddersAndAuctionsPerDayAndPriceTier() => AssertSameRows(Q15Reference(Bids), Run(new Q15BiddingStatistics()));

    [Fact]
    public void Q16CountsBidsBiddersAndAuctionsPerChannelDayAndPriceTier() => AssertSameRows(Q16Reference(Bids), Run(new Q16ChannelStatistics()));

    [Fact]
    public void Q17ComputesAuctionStatisticsPerAuctionAndDay() => AssertSameRows(Q17Reference(Bids), Run(new Q17AuctionStatistics()));

    [Fact]
    public void Q18KeepsTheLastBidPerBidderAndAuction() => AssertSameRows(Q18Reference(Bids), Run(new Q18FindLastBid()));

    [Fact]
    public void Q19KeepsTheTenHighestPricedBidsPerAuction() => AssertSameRows(Q19Reference(Bids), Run(new Q19AuctionTopPrices()));

    [Fact]
    public void Q20JoinsBidsWithTheirCategory10Auctions() => AssertSameRows(Q20Reference(Bids, Auctions), Run(new Q20ExpandBidWithAuction()));

    [Fact]
    public void Q21AddsTheChannelId() => AssertSameRows(Q21Reference(Bids), Run(new Q21AddChannelId()));

    [Fact]
    public void Q22SplitsTheUrlDirectories() => AssertSameRows(Q22Reference(Bids), Run(new Q22UrlDirectories()));

    // ---- the pieces ----

    [Fact]
    public void ReferenceDataExercisesTheInterestingCases()
    {
        var bids = Bids;
        Assert.Contains(bids, Rank1);
        Assert.Contains(bids, Rank2);
        Assert.Contains(bids, b => b.Channel is "Apple" or "Google" or "Facebook" or "Baidu" || b.Channel.ToLowerInvariant() is "apple" or "google");
        Assert.Contains(Q21Reference(bids), r => !(r.Channel.ToLowerInvariant() is "apple" or "google" or "facebook" or "baidu"));
        Assert.True(Q21Reference(bids).Count() < bids.Count, "some bids have no channel id");
        Assert.Contains(Q19Reference(bids), r => r.RankNumber == 10);
        Assert.Contains(bids.GroupBy(b => (b.Bidder, b.Auction)), g => g.Count() > 1);
    }

    [Fact]
    public void ChannelIdComesFromTheKnownNamesOrTheUrlParameter()
    {
        Assert.Equal("0", Q21AddChannelId.ChannelId("APPLE", "https://x/y?a=1"));
        Assert.Equal("3", Q21AddChannelId.ChannelId("baidu", "https://x/y?a=1&channel_id=77"));
        Assert.Equal("42", Q21AddChannelId.ChannelId("other", "https://x/y?a=1&channel_id=42&b=2"));
        Assert.Equal("7", Q21AddChannelId.ChannelId("other", "channel_id=7"));
        Assert.Equal("", Q21AddChannelId.ChannelId("other", "https://x/y?a=1&channel_id=&b=2"));
        Assert.Null(Q21AddChannelId.ChannelId("other", "https://x/y?a=1&xchannel_id=5"));
        Assert.Null(Q21AddChannelId.ChannelId("other", "https://x/y?channel_id=5"));
    }

    [Fact]
    public void UrlDirectoriesAreFieldsThreeToFiveOrNull()
    {
        var bid = new Bid(1, 2, 3, "c", "https://www.nexmark.com/a/b/c/item.htm?query=1", 0, "");
        Assert.Equal(new Q22Row(1, 2, 3, "c", "a", "b", "c"), Q22UrlDirectories.Of(bid));
        Assert.Equal(new Q22Row(1, 2, 3, "c", "a", null, null), Q22UrlDirectories.Of(bid with { Url = "https://host/a" }));
    }

    [Fact]
    public void DaysAndTiersFollowTheReference()
    {
        Assert.Equal("2015-07-15", BidStatistics.Day(1_436_918_400_000));
        Assert.Equal("2015-07-14", BidStatistics.Day(1_436_918_399_999));
        Assert.Equal("23:59", BidStatistics.Minute(1_436_918_399_999));
        Assert.Equal(1_436_832_000_000, BidStatistics.DayStart(1_436_918_399_999));
        Assert.Equal([1, 2, 2, 3], new long[] { 9_999, 10_000, 999_999, 1_000_000 }.Select(BidStatistics.Tier));
    }

    [Fact]
    public void RegistryHoldsQ15ToQ22WithJsonInTheirColumnOrder()
    {
        string[] names = ["q15", "q16", "q17", "q18", "q19", "q20", "q21", "q22"];
        Assert.All(names, n => Assert.Equal(n, NexmarkQueries.Get(n.ToUpperInvariant()).Name));
        Assert.All(names, n => Assert.False(NexmarkQueries.Get(n).IsUpdating));
        var bid = new Bid(1, 2, 3, "ch", "https://h/a/b/c", 1_436_918_400_000, "x");
        var auction = new Auction(1, "i", "d", 4, 5, 6, 7, 8, 10, "y");
        var counts = new TierCounts(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        AssertColumns(new Q15BiddingStatistics(), new Q15Row("2015-07-15", counts));
        AssertColumns(new Q16ChannelStatistics(), new Q16Row("ch", "2015-07-15", "00:00", counts));
        AssertColumns(new Q17AuctionStatistics(), new Q17Row(1, "2015-07-15", 1, 1, 0, 0, 3, 3, 3, 3));
        AssertColumns(new Q18FindLastBid(), Q18Row.Of(bid));
        AssertColumns(new Q19AuctionTopPrices(), new Q19Row(1, 2, 3, "ch", "u", 0, "x", 1));
        AssertColumns(new Q20ExpandBidWithAuction(), Q20Row.Of(bid, auction));
        AssertColumns(new Q21AddChannelId(), new Q21Row(1, 2, 3, "ch", "9"));
        AssertColumns(new Q22UrlDirectories(), Q22UrlDirectories.Of(bid));
        Assert.Equal("""{"auction":1,"bidder":2,"price":3,"channel":"ch","dir1":"a","dir2":"b","dir3":"c"}""",
            new Q22UrlDirectories().ToJson(Q22UrlDirectories.Of(bid)).ToJsonString());
    }

    private static void AssertColumns<TRow>(INexmarkQuery<TRow> query, TRow row) =>
        Assert.Equal(query.Columns, query.ToJson(row).Select(p => p.Key));
}
