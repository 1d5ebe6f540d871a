using StreamShield.Functions;
using StreamShield.Windowing;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>The window functions counting bids per bidder (q11, q12).</summary>
internal static class BidderCounts
{
    /// <summary>Counts the bids.</summary>
    internal sealed class Count : IAggregateFunction<Bid, long, long>
    {
        public long CreateAccumulator() => 0;
        public long Add(Bid value, long accumulator) => accumulator + 1;
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
