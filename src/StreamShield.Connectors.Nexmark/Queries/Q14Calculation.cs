using System.Text.Json.Nodes;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>
/// A q14 row: <c>auction, bidder, price</c> (in euros, 0.908 × the bid's), <c>bidTimeType, dateTime, extra</c> and
/// <c>c_counts</c> (the number of 'c' characters in extra).
/// </summary>
public sealed record Q14Row(long Auction, long Bidder, decimal Price, string BidTimeType, long DateTime, string Extra, long CCounts);

/// <summary>
/// Query 14, calculation: the bids whose euro price (0.908 × price) is strictly between 1,000,000 and 50,000,000, with
/// the time of day of the bid in UTC: 'dayTime' for hours 8 to 18, 'nightTime' for hours up to 6 or from 20, else
/// 'otherTime' (hours 7 and 19), as in the reference's CASE.
/// </summary>
public sealed class Q14Calculation : NexmarkQuery<Q14Row>
{
    /// <inheritdoc />
    public override string Name => "q14";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } = ["auction", "bidder", "price", "bidTimeType", "dateTime", "extra", "c_counts"];

    /// <inheritdoc />
    public override DataStream<Q14Row> Build(DataStream<Event> events) =>
        Bids(events).Filter(b => InRange(Q1CurrencyConversion.DollarToEuro * b.Price), "q14 filter").Map(Of, "q14");

    /// <inheritdoc />
    public override JsonObject ToJson(Q14Row row) => new()
    {
        ["auction"] = row.Auction,
        ["bidder"] = row.Bidder,
        ["price"] = row.Price,
        ["bidTimeType"] = row.BidTimeType,
        ["dateTime"] = row.DateTime,
        ["extra"] = row.Extra,
        ["c_counts"] = row.CCounts,
    };

    /// <summary>Whether a euro price passes q14's filter.</summary>
    public static bool InRange(decimal euros) => euros > 1_000_000m && euros < 50_000_000m;

    /// <summary>The time-of-day type of an epoch-millisecond time (hour in UTC).</summary>
    public static string BidTimeType(long dateTime) => DateTimeOffset.FromUnixTimeMilliseconds(dateTime).UtcDateTime.Hour switch
    {
        >= 8 and <= 18 => "dayTime",
        <= 6 or >= 20 => "nightTime",
        _ => "otherTime",
    };

    /// <summary>The row of <paramref name="bid"/>.</summary>
    public static Q14Row Of(Bid bid) => new(bid.Auction, bid.Bidder, Q1CurrencyConversion.DollarToEuro * bid.Price,
        BidTimeType(bid.DateTime), bid.DateTime, bid.Extra, bid.Extra.Count(c => c == 'c'));
}
