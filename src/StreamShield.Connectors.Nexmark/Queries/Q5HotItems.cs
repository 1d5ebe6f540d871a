using System.Text.Json.Nodes;
using StreamShield.Functions;
using StreamShield.State;
using StreamShield.Windowing;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>A q5 row: <c>auction, num</c> (its bid count in a window where no auction had more).</summary>
public sealed record Q5Row(long Auction, long Num);

/// <summary>The bid count of one auction in one sliding window (q5's inner query).</summary>
public sealed record Q5AuctionCount(long Auction, long Num, long WindowStart, long WindowEnd);

/// <summary>
/// Query 5, hot items: per sliding event-time window of 10 s every 2 s, the auctions with the most bids (all of them
/// on a tie). Bid counts per auction and window come from a keyed sliding window; the maximum per window from a
/// process function keyed by the window's start, which emits at the window's end.
/// </summary>
public sealed class Q5HotItems : NexmarkQuery<Q5Row>
{
    /// <summary>The window size.</summary>
    public static readonly TimeSpan Size = TimeSpan.FromSeconds(10);

    /// <summary>The window slide.</summary>
    public static readonly TimeSpan Slide = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public override string Name => "q5";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } = ["auction", "num"];

    /// <inheritdoc />
    public override DataStream<Q5Row> Build(DataStream<Event> events) =>
        // Only the auction id crosses the shuffle (the bid's time travels as the record's timestamp).
        Bids(events).Map(b => b.Auction, "q5 auction").KeyBy(auction => auction).Window(SlidingEventTimeWindows.Of(Size, Slide))
            .Aggregate(new CountBids(), new WithWindow(), "q5 bid counts")
            .KeyBy(c => c.WindowStart).Process(new MaxPerWindow(), "q5 hot items");

    /// <inheritdoc />
    public override JsonObject ToJson(Q5Row row) => new() { ["auction"] = row.Auction, ["num"] = row.Num };

    private sealed class CountBids : IAggregateFunction<long, long, long>
    {
        public long CreateAccumulator() => 0;
        public long Add(long auction, long accumulator) => accumulator + 1;
        public long GetResult(long accumulator) => accumulator;
        public long Merge(long a, long b) => a + b;
    }

    private sealed class WithWindow : ProcessWindowFunction<long, Q5AuctionCount, long>
    {
        public override void Process(long key, Context context, IEnumerable<long> elements, ICollector<Q5AuctionCount> output)
        {
            foreach (var count in elements) output.Collect(new Q5AuctionCount(key, count, context.Window.Start, context.Window.End));
        }
    }

    private sealed class MaxPerWindow : KeyedProcessFunction<long, Q5AuctionCount, Q5Row>
    {
        private IValueState<long> _max = null!;
        private IListState<Q5Row> _hottest = null!;

        public override void Open()
        {
            _max = RuntimeContext.GetState(new ValueStateDescriptor<long>("max"));
            _hottest = RuntimeContext.GetListState(new ListStateDescriptor<Q5Row>("hottest"));
        }

        public override void ProcessElement(Q5AuctionCount value, Context context, ICollector<Q5Row> output)
        {
            if (value.Num > _max.Value)
            {
                _max.Update(value.Num);
                _hottest.Update([new Q5Row(value.Auction, value.Num)]);
            }
            else if (value.Num == _max.Value)
            {
                _hottest.Add(new Q5Row(value.Auction, value.Num));
            }
            // All counts of the window carry its max timestamp; the watermark passes it only after the last of them.
            context.TimerService.RegisterEventTimeTimer(value.WindowEnd - 1);
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<Q5Row> output)
        {
            foreach (var row in _hottest.Get()) output.Collect(row);
            _hottest.Clear();
            _max.Clear();
        }
    }
}
