using StreamShield.Connectors.Nexmark;
using StreamShield.Connectors.Nexmark.Queries;
using StreamShield.Sinks;

using static StreamShield.Tests.Connectors.Nexmark.Queries.NexmarkQueryRuns;

namespace StreamShield.Tests.Connectors.Nexmark.Queries;

/// <summary>
/// Each Nexmark query, run embedded at parallelism 2 over a bounded source, yields exactly what a plain LINQ
/// computation of the reference SQL yields over the generator's events.
/// </summary>
public sealed class NexmarkQueryTests
{

    private static List<Bid> Bids => AllEvents.Value.Where(e => e.Type == EventType.Bid).Select(e => e.Bid!).ToList();



    [Fact]
    public void Q0PassesEveryBidThrough() => AssertSameRows(NexmarkReference.Q0(AllEvents.Value), Run(new Q0PassThrough()));

    [Fact]
    public void Q1ConvertsPricesToEuros() => AssertSameRows(NexmarkReference.Q1(AllEvents.Value), Run(new Q1CurrencyConversion()));

    [Fact]
    public void Q2SelectsEvery123rdAuction() => AssertSameRows(NexmarkReference.Q2(AllEvents.Value), Run(new Q2Selection()));

    [Fact]
    public void Q3JoinsCategory10AuctionsWithSellersInOregonIdahoAndCalifornia() =>
        AssertSameRows(NexmarkReference.Q3(AllEvents.Value), Run(new Q3LocalItemSuggestion()));

    [Fact]
    public void Q4FinalTableIsTheAverageWinningPricePerCategory() =>
        AssertSameRows(NexmarkReference.Q4(AllEvents.Value), FinalTable(Run(new Q4AveragePriceForCategory())));

    [Fact]
    public void Q5FindsTheAuctionsWithTheMostBidsPerSlidingWindow() => AssertSameRows(NexmarkReference.Q5(AllEvents.Value), Run(new Q5HotItems()));

    [Fact]
    public void Q7FindsTheHighestBidsPerTumblingWindow() => AssertSameRows(NexmarkReference.Q7(AllEvents.Value), Run(new Q7HighestBid()));

    [Fact]
    public void Q8FindsPersonsWhoSoldInTheWindowTheyRegistered() => AssertSameRows(NexmarkReference.Q8(AllEvents.Value), Run(new Q8MonitorNewUsers()));

    [Fact]
    public void Q4FinalTableHoldsWithOutOfOrderEventsAndStateCleanup()
    {
        // q4 drops an auction's state when the watermark passes its expiry and a waiting bid's when it passes the bid:
        // with timers firing mid-stream over out-of-order events, no winning bid may be lost to it.
        var (events, rows) = RunPacedOutOfOrder(new Q4AveragePriceForCategory());
        AssertSameRows(NexmarkReference.Q4(events), FinalTable(rows));
    }

    /// <summary>An updating result's final table: the last row per key (rows of one key all come from one subtask, in order).</summary>
    private static IEnumerable<Q4Row> FinalTable(IEnumerable<Q4Row> updates) => updates.GroupBy(r => r.Id).Select(g => g.Last());

    [Fact]
    public void RegistryFindsEachQueryByName()
    {
        // Every reference query but q6 (left out, as Flink does).
        var expected = Enumerable.Range(0, 23).Where(n => n != 6).Select(n => $"q{n}").ToList();
        Assert.Equal(expected, NexmarkQueries.Names);
        Assert.All(NexmarkQueries.Names, n => Assert.Equal(n, NexmarkQueries.Get(n.ToUpperInvariant()).Name));
        Assert.False(NexmarkQueries.TryGet("q99", out _));
        Assert.Throws<ArgumentException>(() => NexmarkQueries.Get("q6"));
        Assert.True(NexmarkQueries.Get("q4").IsUpdating);
        Assert.False(NexmarkQueries.Get("q5").IsUpdating);
    }

    [Fact]
    public void JsonRowsUseTheReferenceColumnNamesAndEpochMilliseconds()
    {
        Assert.Equal("""{"auction":1,"bidder":2,"price":3,"dateTime":1436918400000,"extra":"x"}""",
            new Q0PassThrough().ToJson(new BidRow(1, 2, 3, 1_436_918_400_000, "x")).ToJsonString());
        Assert.Equal("""{"auction":1,"bidder":2,"price":4778.804,"dateTime":5,"extra":""}""",
            new Q1CurrencyConversion().ToJson(new Q1Row(1, 2, 0.908m * 5263, 5, "")).ToJsonString());
        Assert.Equal("""{"name":"n","city":"c","state":"OR","id":7}""", new Q3LocalItemSuggestion().ToJson(new Q3Row("n", "c", "OR", 7)).ToJsonString());
        Assert.Equal("""{"id":10,"final":99}""", new Q4AveragePriceForCategory().ToJson(new Q4Row(10, 99)).ToJsonString());
        Assert.Equal("""{"id":1000,"name":"p","stime":1436918400000}""", new Q8MonitorNewUsers().ToJson(new Q8Row(1000, "p", 1_436_918_400_000)).ToJsonString());
    }

    [Fact]
    public void BuildJsonEmitsOneObjectPerRowWithTheColumnsInOrder()
    {
        var query = NexmarkQueries.Get("q2");
        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        var sink = new CollectSink<string>();
        query.BuildJson(env.FromNexmark(Options)).SinkTo(sink);
        env.Execute("nexmark-q2-json");

        var expected = Bids.Where(b => b.Auction % 123 == 0).Select(b => $"{{\"auction\":{b.Auction},\"price\":{b.Price}}}").Order(StringComparer.Ordinal);
        Assert.Equal(expected, sink.Results.Order(StringComparer.Ordinal));
    }
}
