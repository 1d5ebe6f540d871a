using System.Text.Json.Nodes;
using StreamShield.Windowing;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>A bid count per bidder and window (q11, q12): <c>bidder, bid_count, starttime, endtime</c>.</summary>
public sealed record BidderCountRow(long Bidder, long BidCount, long StartTime, long EndTime)
{
    /// <summary>The reference columns.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["bidder", "bid_count", "starttime", "endtime"];

    /// <summary>The JSON object with the reference columns.</summary>
    public JsonObject ToJson() => new() { ["bidder"] = Bidder, ["bid_count"] = BidCount, ["starttime"] = StartTime, ["endtime"] = EndTime };
}

/// <summary>
/// Query 11, user sessions: the bids of each bidder per event-time session window with a 10 s gap (a session ends
/// 10 s after its last bid; a bid exactly 10 s after the last one still joins it, as in Flink): <c>bidder, bid_count,
/// starttime, endtime</c>.
/// </summary>
public sealed class Q11UserSessions : NexmarkQuery<BidderCountRow>
{
    /// <summary>The session gap.</summary>
    public static readonly TimeSpan Gap = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public override string Name => "q11";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns => BidderCountRow.Columns;

    /// <inheritdoc />
    public override DataStream<BidderCountRow> Build(DataStream<Event> events) =>
        BidderCounts.Bidders(Bids(events)).Window(EventTimeSessionWindows.WithGap(Gap))
            .Aggregate(new BidderCounts.Count(), new BidderCounts.WithWindow(), "q11 sessions");

    /// <inheritdoc />
    public override JsonObject ToJson(BidderCountRow row) => row.ToJson();
}
