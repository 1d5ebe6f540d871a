using System.Text.Json.Nodes;
using StreamShield.Windowing;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>
/// Query 12, windows per bidder: the bids of each bidder per 10 s tumbling window: <c>bidder, bid_count, starttime,
/// endtime</c>. The reference uses processing-time windows, whose result depends on the run; this is the event-time
/// variant (windows over the bids' dateTime), which is deterministic.
/// </summary>
public sealed class Q12ProcessingTimeWindows : NexmarkQuery<BidderCountRow>
{
    /// <summary>The window size.</summary>
    public static readonly TimeSpan Size = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public override string Name => "q12";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns => BidderCountRow.Columns;

    /// <inheritdoc />
    public override DataStream<BidderCountRow> Build(DataStream<Event> events) =>
        BidderCounts.Bidders(Bids(events)).Window(TumblingEventTimeWindows.Of(Size))
            .Aggregate(new BidderCounts.Count(), new BidderCounts.WithWindow(), "q12 windows");

    /// <inheritdoc />
    public override JsonObject ToJson(BidderCountRow row) => row.ToJson();
}
