using StreamShield.Functions;
using StreamShield.Windowing;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>The window functions counting bids per bidder (q11, q12).</summary>
internal static class BidderCounts
{
    /// <summary>
    /// The bidder of each bid, keyed by it: all a count needs, so the shuffle carries 8 bytes per bid instead of the
    /// whole bid with its strings (the projection Flink's planner pushes below the exchange). The bid's time travels
    /// as the record's timestamp.
    /// </summary>
    public static KeyedStream<long, long> Bidders(DataStream<Bid> bids) => bids.Map(b => b.Bidder, "bidder").KeyBy(bidder => bidder);

    /// <summary>Counts the bids.</summary>
    /// <summary>Counts the bids of a bidder (the stream carries only bidder ids: see <see cref="Bidders"/>).</summary>
    internal sealed class Count : IAggregateFunction<long, long, long>
    {
        public long CreateAccumulator() => 0;
        public long Add(long bidder, long accumulator) => accumulator + 1;
        public long GetResult(long accumulator) => accumulator;
        public long Merge(long a, long b) => a + b;
    }

    /// <summary>A count as a row with its bidder and window.</summary>
    internal sealed class WithWindow : ProcessWindowFunction<long, BidderCountRow, long>
    {
        public override void Process(long key, Context context, IEnumerable<long> elements, ICollector<BidderCountRow> output)
        {
            foreach (var count in elements) output.Collect(new BidderCountRow(key, count, context.Window.Start, context.Window.End));
        }
    }
}
