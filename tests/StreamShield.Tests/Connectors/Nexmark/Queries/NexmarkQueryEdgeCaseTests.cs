using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;
using StreamShield.EventTime;
using StreamShield.Sinks;
using StreamShield.Sources;

namespace StreamShield.Tests.Connectors.Nexmark.Queries;

/// <summary>
/// The queries over small hand-made event streams that hit their edge cases: records of a join arriving before their
/// partner, bids on the bounds of an auction's lifetime, bids exactly at a window's end, ties.
/// </summary>
public sealed class NexmarkQueryEdgeCaseTests
{
    private const long B = NexmarkOptions.DefaultBaseTime;

    private static Event P(long id, string state, long t) => Event.Of(new Person(id, $"name{id}", "e@x", "cc", $"city{id}", state, t, ""));
    private static Event A(long id, long seller, long category, long t, long expires) =>
        Event.Of(new Auction(id, "item", "desc", 1, 1, t, expires, seller, category, ""));
    private static Event Bd(long auction, long price, long t, long bidder = 1000) => Event.Of(new Bid(auction, bidder, price, "Google", "u", t, $"x{t}"));

    /// <summary>Runs <paramref name="query"/> at parallelism 2 over <paramref name="events"/>, in this order, allowing 1 min of disorder.</summary>
    private static IReadOnlyList<TRow> Run<TRow>(INexmarkQuery<TRow> query, IReadOnlyList<Event> events)
    {
        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        var sink = new CollectSink<TRow>();
        var source = env.FromSource(new CollectionSource<Event>(events),
            WatermarkStrategy<Event>.ForBoundedOutOfOrderness(TimeSpan.FromMinutes(1)).WithTimestampAssigner(e => e.Timestamp), "events").SetParallelism(1);
        query.Build(source).SinkTo(sink);
        env.Execute($"nexmark-{query.Name}-edge");
        return sink.Results;
    }

    private static List<TRow> Sorted<TRow>(IEnumerable<TRow> rows) => rows.OrderBy(r => r!.ToString(), StringComparer.Ordinal).ToList();

    [Fact]
    public void Q3JoinsAuctionsThatArriveBeforeTheirSeller()
    {
        List<Event> events =
        [
            A(1, seller: 1000, category: 10, B + 10, B + 100),   // before its seller: waits
            A(2, seller: 1001, category: 10, B + 11, B + 100),   // seller in NY: never joins
            A(3, seller: 1000, category: 11, B + 12, B + 100),   // wrong category
            P(1000, "OR", B + 20),
            P(1001, "NY", B + 21),
            A(4, seller: 1000, category: 10, B + 30, B + 100),   // after its seller
            P(1002, "CA", B + 40),
            A(5, seller: 1002, category: 10, B + 50, B + 100),
        ];
        var actual = Sorted(Run(new Q3LocalItemSuggestion(), events));
        Assert.Equal(Sorted(NexmarkReference.Q3(events)), actual);
        Assert.Equal([new Q3Row("name1000", "city1000", "OR", 1), new Q3Row("name1000", "city1000", "OR", 4), new Q3Row("name1002", "city1002", "CA", 5)], actual);
    }

    [Fact]
    public void Q4CountsOnlyBidsWithinTheAuctionsLifetimeAndTruncatesTheAverage()
    {
        List<Event> events =
        [
            Bd(1000, 50, B + 150),                          // before its auction arrives: waits, then counts
            A(1000, 1, category: 10, B + 100, B + 5_000),
            A(1001, 1, category: 10, B + 100, B + 5_000),
            Bd(1001, 900, B + 99),                          // before the auction opens: ignored
            A(1002, 1, category: 11, B + 200, B + 3_000),
            A(1003, 1, category: 12, B + 200, B + 3_000),   // no bids: no category row
            Bd(1001, 31, B + 300),
            Bd(1001, 20, B + 400),
            Bd(1002, 7, B + 2_999),
            Bd(1000, 70, B + 5_000),                        // at expires: counts
            Bd(1000, 500, B + 5_001),                       // after expires: ignored
        ];
        var updates = Run(new Q4AveragePriceForCategory(), events);
        var final = Sorted(updates.GroupBy(r => r.Id).Select(g => g.Last()));
        Assert.Equal(Sorted(NexmarkReference.Q4(events)), final);
        Assert.Equal([new Q4Row(10, 50), new Q4Row(11, 7)], final); // (70 + 31) / 2 = 50
    }

    [Fact]
    public void Q5EmitsEveryAuctionTiedForTheMostBids()
    {
        List<Event> events =
        [
            Bd(1, 1, B + 100), Bd(1, 1, B + 200), Bd(2, 1, B + 300), Bd(2, 1, B + 400), Bd(3, 1, B + 500),
            Bd(3, 1, B + 2_100), Bd(3, 1, B + 2_200),
            Bd(4, 1, B + 12_000),
        ];
        var actual = Sorted(Run(new Q5HotItems(), events));
        Assert.Equal(Sorted(NexmarkReference.Q5(events)), actual);
        Assert.Contains(new Q5Row(1, 2), actual);
        Assert.Contains(new Q5Row(3, 3), actual);
    }

    [Fact]
    public void Q7AlsoOutputsAMaximalBidExactlyAtAWindowsEndForThatWindow()
    {
        List<Event> events =
        [
            Bd(1, 5, B + 1),
            Bd(2, 9, B + 2),
            Bd(3, 9, B + 3),          // tie
            Bd(4, 9, B + 10_000),     // in the second window, and at the first one's end with its maximum price
            Bd(5, 3, B + 10_001),
            Bd(6, 1, B + 25_000),
            Bd(7, 1, B + 30_000),     // likewise for the third window
            Bd(8, 4, B + 40_000),     // at the fourth window's end, above its maximum (1) and below the fifth's (6)
            Bd(9, 6, B + 40_001),
        ];
        var actual = Sorted(Run(new Q7HighestBid(), events));
        Assert.Equal(Sorted(NexmarkReference.Q7(events)), actual);
        Assert.Equal(["1-2", "1-3", "1-4", "1-4", "1-6", "1-7", "1-7", "1-9"], actual.Select(r => $"1-{r.Auction}").Order());
    }

    [Fact]
    public void Q8JoinsPersonsAndSellersOnlyWithinTheSameWindowAndOncePerWindow()
    {
        List<Event> events =
        [
            P(1000, "OR", B + 1_000),
            A(1, seller: 1000, category: 10, B + 2_000, B + 99_000),
            A(2, seller: 1000, category: 10, B + 3_000, B + 99_000),   // a second auction: still one row
            P(1001, "OR", B + 9_999),
            A(3, seller: 1001, category: 10, B + 10_000, B + 99_000),  // next window: no row
            P(1002, "OR", B + 15_000),
            A(4, seller: 1002, category: 10, B + 19_999, B + 99_000),
        ];
        var actual = Sorted(Run(new Q8MonitorNewUsers(), events));
        Assert.Equal(Sorted(NexmarkReference.Q8(events)), actual);
        Assert.Equal([new Q8Row(1000, "name1000", B), new Q8Row(1002, "name1002", B + 10_000)], actual);
    }
}
