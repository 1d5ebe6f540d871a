namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// Auctions, as the reference's <c>AuctionGenerator</c>: ids follow event ids, sellers are hot (the first person of
/// the latest batch of 100) with probability 1 - 1/<see cref="NexmarkOptions.HotSellersRatio"/>, lengths average the
/// event time until <see cref="NexmarkOptions.NumInFlightAuctions"/> more auctions will have opened.
/// </summary>
internal static class AuctionGenerator
{
    /// <summary>Id of the first auction (<c>FIRST_AUCTION_ID</c>).</summary>
    public const long FirstAuctionId = 1000;

    /// <summary>Id of the first category (<c>FIRST_CATEGORY_ID</c>).</summary>
    public const long FirstCategoryId = 10;

    /// <summary>Number of categories, kept small so queries find matches in small data sets (<c>NUM_CATEGORIES</c>).</summary>
    public const int NumCategories = 5;

    /// <summary>Ids of auctions not yet created that a bid may pick (<c>AUCTION_ID_LEAD</c>).</summary>
    public const int AuctionIdLead = 10;

    /// <summary>Hot sellers are the first of each batch of this many people (<c>HOT_SELLER_RATIO</c>).</summary>
    public const int HotSellerBatch = 100;

    /// <summary>
    /// The auction of event id <paramref name="eventId"/>, at <paramref name="timestamp"/>: the time of
    /// <paramref name="timelineNumber"/>, the event's (shuffled) number on its generator's timeline.
    /// </summary>
    public static Auction Next(long timelineNumber, long eventId, ref EventRandom random, long timestamp, NexmarkOptions options, EventTimeline timeline)
    {
        var id = LastBase0AuctionId(options, eventId) + FirstAuctionId;
        var seller = random.NextInt(options.HotSellersRatio) > 0
            ? PersonGenerator.LastBase0PersonId(options, eventId) / HotSellerBatch * HotSellerBatch
            : PersonGenerator.NextBase0PersonId(eventId, ref random, options);
        seller += PersonGenerator.FirstPersonId;
        var category = FirstCategoryId + random.NextInt(NumCategories);
        var initialBid = Prices.Next(ref random);
        var expires = timestamp + NextAuctionLengthMs(timelineNumber, ref random, timestamp, options, timeline);
        var itemName = RandomStrings.Next(ref random, 20);
        var description = RandomStrings.Next(ref random, 100);
        var reserve = initialBid + Prices.Next(ref random);
        var currentSize = 8 + itemName.Length + description.Length + 8 + 8 + 8 + 8 + 8;
        var extra = RandomStrings.Extra(ref random, currentSize, options.AvgAuctionByteSize);
        return new Auction(id, itemName, description, initialBid, reserve, timestamp, expires, seller, category, extra);
    }

    /// <summary>
    /// The last auction id (base 0) created at or before <paramref name="eventId"/>: the current one if the event is
    /// an auction. -1 before the first auction.
    /// </summary>
    public static long LastBase0AuctionId(NexmarkOptions options, long eventId)
    {
        var epoch = eventId / options.TotalProportion;
        var offset = eventId % options.TotalProportion;
        if (offset < options.PersonProportion)
        {
            epoch--; // a person: the previous epoch's last auction
            offset = options.AuctionProportion - 1;
        }
        else if (offset >= options.PersonProportion + options.AuctionProportion)
        {
            offset = options.AuctionProportion - 1; // a bid: this epoch's last auction
        }
        else
        {
            offset -= options.PersonProportion;
        }
        return epoch * options.AuctionProportion + offset;
    }

    /// <summary>
    /// A random auction id (base 0) among those likely still in flight (the last
    /// <see cref="NexmarkOptions.NumInFlightAuctions"/>), plus up to <see cref="AuctionIdLead"/> not yet created.
    /// </summary>
    public static long NextBase0AuctionId(long eventId, ref EventRandom random, NexmarkOptions options)
    {
        var maxAuction = LastBase0AuctionId(options, eventId);
        var minAuction = Math.Max(maxAuction - options.NumInFlightAuctions, 0);
        return minAuction + random.NextLong(maxAuction - minAuction + 1 + AuctionIdLead);
    }

    /// <summary>A length averaging the event time until the auction <see cref="NexmarkOptions.NumInFlightAuctions"/> ahead opens; at least 1 ms.</summary>
    private static long NextAuctionLengthMs(long timelineNumber, ref EventRandom random, long timestamp, NexmarkOptions options, EventTimeline timeline)
    {
        var eventsForAuctions = (long)options.NumInFlightAuctions * options.TotalProportion / options.AuctionProportion;
        var futureAuction = timeline.TimestampFor(timelineNumber + eventsForAuctions);
        var horizonMs = futureAuction - timestamp;
        return 1L + random.NextLong(Math.Max(horizonMs * 2, 1L));
    }
}
