namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// Bids, as the reference's <c>BidGenerator</c>: the auction is hot (the first of the latest batch of 100 auctions)
/// with probability 1 - 1/<see cref="NexmarkOptions.HotAuctionRatio"/>, else one in flight; the bidder is hot (the
/// second person of the latest batch of 100, so hot bidders and hot sellers differ) with probability
/// 1 - 1/<see cref="NexmarkOptions.HotBiddersRatio"/>, else an active person; half the bids come from a hot channel.
/// </summary>
internal static class BidGenerator
{
    /// <summary>Hot auctions are the first of each batch of this many auctions (<c>HOT_AUCTION_RATIO</c>).</summary>
    public const int HotAuctionBatch = 100;

    /// <summary>Hot bidders are the second of each batch of this many people (<c>HOT_BIDDER_RATIO</c>).</summary>
    public const int HotBidderBatch = 100;

    public static Bid Next(long eventId, ref EventRandom random, long timestamp, NexmarkOptions options)
    {
        var auction = random.NextInt(options.HotAuctionRatio) > 0
            ? AuctionGenerator.LastBase0AuctionId(options, eventId) / HotAuctionBatch * HotAuctionBatch
            : AuctionGenerator.NextBase0AuctionId(eventId, ref random, options);
        auction += AuctionGenerator.FirstAuctionId;

        var bidder = random.NextInt(options.HotBiddersRatio) > 0
            ? PersonGenerator.LastBase0PersonId(options, eventId) / HotBidderBatch * HotBidderBatch + 1
            : PersonGenerator.NextBase0PersonId(eventId, ref random, options);
        bidder += PersonGenerator.FirstPersonId;

        var price = Prices.Next(ref random);

        string channel, url;
        if (random.NextInt(Channels.HotChannelsRatio) > 0)
        {
            var i = random.NextInt(Channels.HotNames.Length);
            channel = Channels.HotNames[i];
            url = Channels.HotUrls[i];
        }
        else
        {
            (channel, url) = Channels.Get(random.NextInt(Channels.Count));
        }

        const int currentSize = 8 + 8 + 8 + 8;
        var extra = RandomStrings.Extra(ref random, currentSize, options.AvgBidByteSize);
        return new Bid(auction, bidder, price, channel, url, timestamp, extra);
    }
}
