using System.Globalization;
using System.Text.Json.Nodes;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>A q10 row: a bid's <c>auction, bidder, price, dateTime, extra</c> with <c>dt</c> (yyyy-MM-dd) and <c>hm</c> (HH:mm) of its time in UTC.</summary>
public sealed record Q10Row(long Auction, long Bidder, long Price, long DateTime, string Extra, string Dt, string Hm);

/// <summary>
/// Query 10, log to file system: every bid with the partition strings <c>dt</c> ('yyyy-MM-dd') and <c>hm</c> ('HH:mm')
/// of its event time in UTC (the reference writes them to a file system partitioned by those columns).
/// </summary>
public sealed class Q10LogToFileSystem : NexmarkQuery<Q10Row>
{
    /// <inheritdoc />
    public override string Name => "q10";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } = ["auction", "bidder", "price", "dateTime", "extra", "dt", "hm"];

    /// <inheritdoc />
    public override DataStream<Q10Row> Build(DataStream<Event> events) => Bids(events).Map(Of, "q10");

    /// <inheritdoc />
    public override JsonObject ToJson(Q10Row row) => new()
    {
        ["auction"] = row.Auction,
        ["bidder"] = row.Bidder,
        ["price"] = row.Price,
        ["dateTime"] = row.DateTime,
        ["extra"] = row.Extra,
        ["dt"] = row.Dt,
        ["hm"] = row.Hm,
    };

    /// <summary>The row of <paramref name="bid"/>.</summary>
    public static Q10Row Of(Bid bid)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(bid.DateTime).UtcDateTime;
        return new Q10Row(bid.Auction, bid.Bidder, bid.Price, bid.DateTime, bid.Extra,
            time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), time.ToString("HH:mm", CultureInfo.InvariantCulture));
    }
}
