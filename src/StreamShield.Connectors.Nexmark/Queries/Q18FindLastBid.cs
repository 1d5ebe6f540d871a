using System.Text.Json.Nodes;
using StreamShield.Functions;
using StreamShield.State;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>A q18 row: a whole bid, <c>auction, bidder, price, channel, url, dateTime, extra</c>.</summary>
public sealed record Q18Row(long Auction, long Bidder, long Price, string Channel, string Url, long DateTime, string Extra)
{
    /// <summary>The row of <paramref name="bid"/>.</summary>
    public static Q18Row Of(Bid bid) => new(bid.Auction, bid.Bidder, bid.Price, bid.Channel, bid.Url, bid.DateTime, bid.Extra);
}

/// <summary>
/// Query 18, find last bid: the last bid (greatest <c>dateTime</c>) of each (bidder, auction), a deduplication. The
/// reference leaves ties of <c>dateTime</c> to arrival order; here they are broken deterministically by
/// <see cref="IsLater"/>. Bids are keyed by (bidder, auction) and the kept bid is emitted once the input ends (an
/// event-time timer at the final watermark), so the output is the reference's final table.
/// </summary>
public sealed class Q18FindLastBid : NexmarkQuery<Q18Row>
{
    /// <inheritdoc />
    public override string Name => "q18";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } = ["auction", "bidder", "price", "channel", "url", "dateTime", "extra"];

    /// <inheritdoc />
    public override DataStream<Q18Row> Build(DataStream<Event> events) =>
        Bids(events).KeyBy(b => (b.Bidder, b.Auction)).Process(new LastBid(), "q18 last bid");

    /// <inheritdoc />
    public override JsonObject ToJson(Q18Row row) => new()
    {
        ["auction"] = row.Auction,
        ["bidder"] = row.Bidder,
        ["price"] = row.Price,
        ["channel"] = row.Channel,
        ["url"] = row.Url,
        ["dateTime"] = row.DateTime,
        ["extra"] = row.Extra,
    };

    /// <summary>
    /// Whether <paramref name="candidate"/> replaces <paramref name="kept"/> as the last bid: a later <c>dateTime</c>, or
    /// on a tie the greater price, then the ordinally greater channel, url and extra.
    /// </summary>
    public static bool IsLater(Bid candidate, Bid kept)
    {
        var c = candidate.DateTime.CompareTo(kept.DateTime);
        if (c == 0) c = candidate.Price.CompareTo(kept.Price);
        if (c == 0) c = string.CompareOrdinal(candidate.Channel, kept.Channel);
        if (c == 0) c = string.CompareOrdinal(candidate.Url, kept.Url);
        if (c == 0) c = string.CompareOrdinal(candidate.Extra, kept.Extra);
        return c > 0;
    }

    private sealed class LastBid : KeyedProcessFunction<(long Bidder, long Auction), Bid, Q18Row>
    {
        private IValueState<Bid?> _last = null!;

        public override void Open() => _last = RuntimeContext.GetState(new ValueStateDescriptor<Bid?>("last-bid"));

        public override void ProcessElement(Bid value, Context context, ICollector<Q18Row> output)
        {
            var last = _last.Value;
            if (last is null) context.TimerService.RegisterEventTimeTimer(long.MaxValue);
            if (last is null || IsLater(value, last)) _last.Update(value);
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<Q18Row> output)
        {
            if (_last.Value is { } last) output.Collect(Q18Row.Of(last));
            _last.Clear();
        }
    }
}
