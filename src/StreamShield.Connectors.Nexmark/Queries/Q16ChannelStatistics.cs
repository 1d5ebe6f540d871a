using System.Text.Json.Nodes;
using StreamShield.Functions;
using StreamShield.State;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>A q16 row: the <see cref="TierCounts"/> of one channel's bids on one day, and the day's latest bid minute (<c>HH:mm</c>).</summary>
public sealed record Q16Row(string Channel, string Day, string Minute, TierCounts Counts);

/// <summary>
/// Query 16, channel statistics report: q15's statistics per channel and day, with <c>max(DATE_FORMAT(dateTime, 'HH:mm'))</c>
/// as <c>minute</c>. Bids are keyed by (channel, day) and each group's final row is emitted by an event-time timer at the
/// day's last millisecond: the reference's final table.
/// </summary>
public sealed class Q16ChannelStatistics : NexmarkQuery<Q16Row>
{
    /// <inheritdoc />
    public override string Name => "q16";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } = ["channel", "day", "minute", .. TierCounts.Columns];

    /// <inheritdoc />
    public override DataStream<Q16Row> Build(DataStream<Event> events) =>
        Bids(events).Map(StatisticsBid.Of, "q16 project").KeyBy(b => (b.DayStart, b.Channel)).Process(new ChannelStatistics(), "q16 statistics");

    /// <inheritdoc />
    public override JsonObject ToJson(Q16Row row) =>
        row.Counts.AddTo(new JsonObject { ["channel"] = row.Channel, ["day"] = row.Day, ["minute"] = row.Minute });

    private sealed class ChannelStatistics : KeyedProcessFunction<(long DayStart, string Channel), StatisticsBid, Q16Row>
    {
        private TierCounter _counter = null!;
        private IValueState<StatisticsBid?> _latest = null!;

        public override void Open()
        {
            _counter = new TierCounter(RuntimeContext);
            _latest = RuntimeContext.GetState(new ValueStateDescriptor<StatisticsBid?>("latest"));
        }

        public override void ProcessElement(StatisticsBid value, Context context, ICollector<Q16Row> output)
        {
            if (_counter.Add(value)) context.TimerService.RegisterEventTimeTimer(BidStatistics.DayStart(value.DateTime) + BidStatistics.DayMs - 1);
            if (_latest.Value is not { } latest || value.DateTime > latest.DateTime) _latest.Update(value);
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<Q16Row> output)
        {
            if (_latest.Value is not { } latest) return;
            output.Collect(new Q16Row(latest.Channel, BidStatistics.Day(timestamp), BidStatistics.Minute(latest.DateTime), _counter.Take()));
            _latest.Clear();
        }
    }
}
