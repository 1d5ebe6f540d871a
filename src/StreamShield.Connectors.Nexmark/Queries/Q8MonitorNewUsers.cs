using System.Text.Json.Nodes;
using StreamShield.Windowing;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>A q8 row: <c>id, name, stime</c> (the person and the start of the window, epoch milliseconds).</summary>
public sealed record Q8Row(long Id, string Name, long Stime);

/// <summary>
/// Query 8, monitor new users: persons who opened an auction in the same 10 s tumbling event-time window in which
/// they registered, once per window. Sellers are first made distinct per window (a keyed tumbling window), then
/// joined with persons by a tumbling window join.
/// </summary>
public sealed class Q8MonitorNewUsers : NexmarkQuery<Q8Row>
{
    /// <summary>The window size.</summary>
    public static readonly TimeSpan Size = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public override string Name => "q8";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } = ["id", "name", "stime"];

    /// <inheritdoc />
    public override DataStream<Q8Row> Build(DataStream<Event> events)
    {
        var sizeMs = (long)Size.TotalMilliseconds;
        var sellers = Auctions(events).Map(a => a.Seller, "q8 seller")
            .KeyBy(s => s).Window(TumblingEventTimeWindows.Of(Size)).Reduce((a, _) => a, "q8 distinct sellers");
        // Only the columns the join reads are buffered in its windows.
        return Persons(events).Map(p => new NewPerson(p.Id, p.Name, p.DateTime), "q8 person").Join(sellers).Where(p => p.Id).EqualTo(s => s).Window(TumblingEventTimeWindows.Of(Size))
            .Apply((p, _) => new Q8Row(p.Id, p.Name, TimeWindow.GetWindowStartWithOffset(p.DateTime, 0, sizeMs)), "q8 join");
    }

    /// <summary>What q8 reads of a person.</summary>
    internal sealed record NewPerson(long Id, string Name, long DateTime);

    /// <inheritdoc />
    public override JsonObject ToJson(Q8Row row) => new() { ["id"] = row.Id, ["name"] = row.Name, ["stime"] = row.Stime };
}
