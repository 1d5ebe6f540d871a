using System.Globalization;
using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;
using StreamShield.Sinks;

using static StreamShield.Tests.Connectors.Nexmark.Queries.NexmarkQueryRuns;

namespace StreamShield.Tests.Connectors.Nexmark.Queries;

/// <summary>
/// Nexmark q9 to q14, each run embedded at parallelism 2 over a bounded source, yield exactly what a plain LINQ
/// computation of the reference SQL yields over the generator's events.
/// </summary>
public sealed class NexmarkQueriesQ9ToQ14Tests
{

    private static IEnumerable<Bid> Bids => AllEvents.Value.Where(e => e.Type == EventType.Bid).Select(e => e.Bid!);
    private static IEnumerable<Auction> Auctions => AllEvents.Value.Where(e => e.Type == EventType.Auction).Select(e => e.NewAuction!);



    private static long WindowStart(long time, long size) => time - (time % size + size) % size;

    [Fact]
    public void Q9FinalTableIsTheWinningBidOfEachAuction() =>
        // An updating result: the last row per id (rows of one id all come from one subtask, in order).
        AssertSameRows(Q9Expected(AllEvents.Value), Run(new Q9WinningBids()).GroupBy(r => r.Id).Select(g => g.Last()));

    [Fact]
    public void Q9FinalTableHoldsWithOutOfOrderEventsAndStateCleanup()
    {
        // q9 drops an auction's state at its expiry and a waiting bid's at its time, while the stream runs.
        var (events, rows) = RunPacedOutOfOrder(new Q9WinningBids());
        AssertSameRows(Q9Expected(events), rows.GroupBy(r => r.Id).Select(g => g.Last()));
    }

    private static IEnumerable<Q9Row> Q9Expected(IReadOnlyList<Event> events)
    {
        var auctions = events.Where(e => e.Type == EventType.Auction).Select(e => e.NewAuction!);
        var bids = events.Where(e => e.Type == EventType.Bid).Select(e => e.Bid!);
        return
            from a in auctions
            join b in bids on a.Id equals b.Auction
            where b.DateTime >= a.DateTime && b.DateTime <= a.Expires
            group b by a into g
            let w = g.OrderByDescending(b => b.Price).ThenBy(b => b.DateTime).ThenBy(b => b.Bidder).ThenBy(b => b.Extra, StringComparer.Ordinal).First()
            select new Q9Row(g.Key.Id, g.Key.ItemName, g.Key.Description, g.Key.InitialBid, g.Key.Reserve, g.Key.DateTime, g.Key.Expires,
                g.Key.Seller, g.Key.Category, g.Key.Extra, w.Auction, w.Bidder, w.Price, w.DateTime, w.Extra);
    }

    [Fact]
    public void Q10AddsTheDateAndMinutePartitionsInUtc() =>
        AssertSameRows(
            Bids.Select(b =>
            {
                var t = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds(b.DateTime);
                return new Q10Row(b.Auction, b.Bidder, b.Price, b.DateTime, b.Extra,
                    string.Create(CultureInfo.InvariantCulture, $"{t.Year:D4}-{t.Month:D2}-{t.Day:D2}"),
                    string.Create(CultureInfo.InvariantCulture, $"{t.Hour:D2}:{t.Minute:D2}"));
            }),
            Run(new Q10LogToFileSystem()));

    [Fact]
    public void Q10FormatsKnownTimes()
    {
        var row = Q10LogToFileSystem.Of(new Bid(1, 2, 3, "c", "u", 1_436_918_400_000 + 19 * 3_600_000L + 5 * 60_000 + 59_999, "x"));
        Assert.Equal("2015-07-15", row.Dt);
        Assert.Equal("19:05", row.Hm);
    }

    [Fact]
    public void Q11CountsBidsPerBidderSession()
    {
        const long gap = 10_000;
        var expected = new List<BidderCountRow>();
        foreach (var bidder in Bids.GroupBy(b => b.Bidder))
        {
            long start = 0, last = 0, count = 0;
            foreach (var time in bidder.Select(b => b.DateTime).Order())
            {
                if (count > 0 && time - last > gap) // as in Flink, windows that touch merge
                {
                    expected.Add(new BidderCountRow(bidder.Key, count, start, last + gap));
                    count = 0;
                }
                if (count == 0) start = time;
                last = time;
                count++;
            }
            expected.Add(new BidderCountRow(bidder.Key, count, start, last + gap));
        }
        Assert.Contains(expected, r => r.BidCount > 1);
        AssertSameRows(expected, Run(new Q11UserSessions()));
    }

    [Fact]
    public void Q12CountsBidsPerBidderTumblingWindow()
    {
        const long size = 10_000;
        var expected = Bids.GroupBy(b => (b.Bidder, Start: WindowStart(b.DateTime, size)))
            .Select(g => new BidderCountRow(g.Key.Bidder, g.Count(), g.Key.Start, g.Key.Start + size));
        AssertSameRows(expected, Run(new Q12ProcessingTimeWindows()));
    }

    [Fact]
    public void Q13JoinsEachBidWithTheSideInput()
    {
        var side = Enumerable.Range(0, 10_000).Select(k => (Key: (long)k, Value: $"side-{k}"));
        var expected = from b in Bids
                       join s in side on b.Auction % 10_000 equals s.Key
                       select new Q13Row(b.Auction, b.Bidder, b.Price, b.DateTime, s.Value);
        AssertSameRows(expected, Run(new Q13BoundedSideInputJoin()));
    }

    [Fact]
    public void Q14FiltersByEuroPriceAndClassifiesTheTimeOfDay()
    {
        var expected = from b in Bids
                       let euros = b.Price * 908 / 1000m
                       where euros > 1_000_000m && euros < 50_000_000m
                       let hour = (int)(b.DateTime / 3_600_000 % 24)
                       let type = hour is >= 8 and <= 18 ? "dayTime" : hour <= 6 || hour >= 20 ? "nightTime" : "otherTime"
                       select new Q14Row(b.Auction, b.Bidder, euros, type, b.DateTime, b.Extra, b.Extra.Split('c').Length - 1);
        AssertSameRows(expected, Run(new Q14Calculation()));
    }

    [Fact]
    public void Q14BidTimeTypeFollowsTheUtcHour()
    {
        const long day = 1_436_918_400_000; // 2015-07-15T00:00Z
        Assert.Equal("nightTime", Q14Calculation.BidTimeType(day + 6 * 3_600_000L + 3_599_999));
        Assert.Equal("otherTime", Q14Calculation.BidTimeType(day + 7 * 3_600_000L));
        Assert.Equal("dayTime", Q14Calculation.BidTimeType(day + 8 * 3_600_000L));
        Assert.Equal("dayTime", Q14Calculation.BidTimeType(day + 18 * 3_600_000L + 3_599_999));
        Assert.Equal("otherTime", Q14Calculation.BidTimeType(day + 19 * 3_600_000L));
        Assert.Equal("nightTime", Q14Calculation.BidTimeType(day + 20 * 3_600_000L));
        Assert.Equal(3, Q14Calculation.Of(new Bid(1, 2, 3, "c", "u", day, "abcccd")).CCounts);
    }

    [Fact]
    public void JsonRowsUseTheReferenceColumnsInOrder()
    {
        Assert.Equal("""{"bidder":1,"bid_count":2,"starttime":3,"endtime":4}""", new Q11UserSessions().ToJson(new BidderCountRow(1, 2, 3, 4)).ToJsonString());
        Assert.Equal("""{"auction":1,"bidder":2,"price":3,"dateTime":4,"value":"v"}""", new Q13BoundedSideInputJoin().ToJson(new Q13Row(1, 2, 3, 4, "v")).ToJsonString());
        INexmarkQuery[] queries = [new Q9WinningBids(), new Q10LogToFileSystem(), new Q11UserSessions(), new Q12ProcessingTimeWindows(), new Q13BoundedSideInputJoin(), new Q14Calculation()];
        Assert.Equal(["q9", "q10", "q11", "q12", "q13", "q14"], queries.Select(q => q.Name));
        Assert.True(queries[0].IsUpdating);
        Assert.Equal("id", queries[0].Columns[0]);
        Assert.All(queries, q => Assert.Equal(q.GetType(), NexmarkQueries.Get(q.Name.ToUpperInvariant()).GetType()));
    }
}
