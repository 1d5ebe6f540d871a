using System.Text.Json.Nodes;
using StreamShield.Functions;
using StreamShield.State;
using StreamShield.Windowing;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>A bid routed to a tumbling window: <see cref="Member"/> when the bid falls in it, else a bid at the window's end.</summary>
public sealed record Q7WindowBid(long WindowStart, bool Member, Bid Bid);

/// <summary>
/// Query 7, highest bid: the bids with the highest price of each 10 s tumbling event-time window. As in the reference,
/// whose join condition is <c>dateTime BETWEEN window_end - 10 s AND window_end</c>, a bid exactly at a window's end
/// (which belongs to the next window) is also output for the window it ends when its price equals that window's maximum.
/// Bids are keyed by window start; each key's maximum and its bids are emitted by an event-time timer at the window's end.
/// </summary>
public sealed class Q7HighestBid : NexmarkQuery<BidRow>
{
    /// <summary>The window size in milliseconds.</summary>
    public const long SizeMs = 10_000;

    /// <inheritdoc />
    public override string Name => "q7";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns => BidRow.Columns;

    /// <inheritdoc />
    public override DataStream<BidRow> Build(DataStream<Event> events) =>
        Bids(events).FlatMap<Q7WindowBid>(Route, "q7 windows").KeyBy(w => w.WindowStart).Process(new HighestBids(), "q7 highest bids");

    /// <inheritdoc />
    public override JsonObject ToJson(BidRow row) => row.ToJson();

    private static void Route(Bid bid, ICollector<Q7WindowBid> output)
    {
        var start = TimeWindow.GetWindowStartWithOffset(bid.DateTime, 0, SizeMs);
        output.Collect(new Q7WindowBid(start, true, bid));
        if (start == bid.DateTime) output.Collect(new Q7WindowBid(start - SizeMs, false, bid));
    }

    private sealed class HighestBids : KeyedProcessFunction<long, Q7WindowBid, BidRow>
    {
        private IValueState<long> _max = null!;
        private IListState<Bid> _highest = null!;
        private IListState<Bid> _atEnd = null!;

        public override void Open()
        {
            _max = RuntimeContext.GetState(new ValueStateDescriptor<long>("max", long.MinValue));
            _highest = RuntimeContext.GetListState(new ListStateDescriptor<Bid>("highest"));
            _atEnd = RuntimeContext.GetListState(new ListStateDescriptor<Bid>("at-end"));
        }

        public override void ProcessElement(Q7WindowBid value, Context context, ICollector<BidRow> output)
        {
            var bid = value.Bid;
            if (!value.Member) _atEnd.Add(bid);
            else if (bid.Price > _max.Value)
            {
                _max.Update(bid.Price);
                _highest.Update([bid]);
            }
            else if (bid.Price == _max.Value) _highest.Add(bid);
            // At the window's end (inclusive): the bids exactly at the end are then in too.
            context.TimerService.RegisterEventTimeTimer(value.WindowStart + SizeMs);
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<BidRow> output)
        {
            var max = _max.Value;
            foreach (var bid in _highest.Get()) output.Collect(BidRow.Of(bid));
            foreach (var bid in _atEnd.Get()) if (bid.Price == max) output.Collect(BidRow.Of(bid));
            _max.Clear();
            _highest.Clear();
            _atEnd.Clear();
        }
    }
}
