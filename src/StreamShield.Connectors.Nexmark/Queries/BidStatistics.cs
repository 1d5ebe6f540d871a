using System.Globalization;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>
/// What the bid statistics queries (q15, q16) read of a bid: they project bids to it before the shuffle, so the url and
/// extra strings never cross it (the projection Flink's planner pushes below the exchange).
/// </summary>
public sealed record StatisticsBid(long DayStart, long Auction, long Bidder, long Price, string Channel, long DateTime)
{
    /// <summary>The projection of <paramref name="bid"/>.</summary>
    public static StatisticsBid Of(Bid bid) => new(BidStatistics.DayStart(bid.DateTime), bid.Auction, bid.Bidder, bid.Price, bid.Channel, bid.DateTime);
}

/// <summary>Shared pieces of the bid statistics queries (q15, q16, q17): days and price tiers.</summary>
public static class BidStatistics
{
    /// <summary>One day in milliseconds.</summary>
    public const long DayMs = 86_400_000;

    /// <summary>The exclusive upper price of tier 1 (<c>price &lt; 10000</c>).</summary>
    public const long Rank1Limit = 10_000;

    /// <summary>The exclusive upper price of tier 2 (<c>price &lt; 1000000</c>); tier 3 is every price at or above it.</summary>
    public const long Rank2Limit = 1_000_000;

    /// <summary>The start (UTC midnight, epoch milliseconds) of the day holding <paramref name="time"/>.</summary>
    public static long DayStart(long time) => time - (time % DayMs + DayMs) % DayMs;

    /// <summary>SQL's <c>DATE_FORMAT(time, 'yyyy-MM-dd')</c> of an epoch-millisecond time (UTC).</summary>
    public static string Day(long time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>SQL's <c>DATE_FORMAT(time, 'HH:mm')</c> of an epoch-millisecond time (UTC).</summary>
    public static string Minute(long time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time).UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The price tier of <paramref name="price"/>: 1 below 10,000, 2 below 1,000,000, else 3.</summary>
    public static int Tier(long price) => price < Rank1Limit ? 1 : price < Rank2Limit ? 2 : 3;
}
