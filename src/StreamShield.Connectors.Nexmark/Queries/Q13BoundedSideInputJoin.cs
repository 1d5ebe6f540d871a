using System.Collections.Frozen;
using System.Text.Json.Nodes;
using StreamShield.Functions;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>A q13 row: a bid's <c>auction, bidder, price, dateTime</c> with the side input's <c>value</c>.</summary>
public sealed record Q13Row(long Auction, long Bidder, long Price, long DateTime, string Value);

/// <summary>
/// Query 13, bounded side input join: each bid enriched with the side input's value for key <c>auction % 10000</c>
/// (an inner join: bids without a side row are dropped). The side input is a static table built deterministically in
/// code (<see cref="SideInput"/>), held by every subtask.
/// </summary>
public sealed class Q13BoundedSideInputJoin : NexmarkQuery<Q13Row>
{
    /// <summary>The number of side input keys (0 to 9,999).</summary>
    public const long Keys = 10_000;

    /// <summary>The side input: key to value, for each key in [0, <see cref="Keys"/>).</summary>
    public static FrozenDictionary<long, string> SideInput { get; } =
        Enumerable.Range(0, (int)Keys).ToFrozenDictionary(k => (long)k, k => SideValue(k));

    /// <summary>The side input's value of <paramref name="key"/>.</summary>
    public static string SideValue(long key) => $"side-{key}";

    /// <inheritdoc />
    public override string Name => "q13";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } = ["auction", "bidder", "price", "dateTime", "value"];

    /// <inheritdoc />
    public override DataStream<Q13Row> Build(DataStream<Event> events) => Bids(events).FlatMap<Q13Row>(Join, "q13 side join");

    /// <inheritdoc />
    public override JsonObject ToJson(Q13Row row) => new()
    {
        ["auction"] = row.Auction,
        ["bidder"] = row.Bidder,
        ["price"] = row.Price,
        ["dateTime"] = row.DateTime,
        ["value"] = row.Value,
    };

    private static void Join(Bid bid, ICollector<Q13Row> output)
    {
        if (SideInput.TryGetValue(bid.Auction % Keys, out var value))
            output.Collect(new Q13Row(bid.Auction, bid.Bidder, bid.Price, bid.DateTime, value));
    }
}
