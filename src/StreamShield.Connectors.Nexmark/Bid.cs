namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// A bid on an auction. Field names follow the reference Nexmark model (<c>auction, bidder, price, channel, url,
/// dateTime, extra</c>).
/// </summary>
/// <param name="Auction">Id of the <see cref="Nexmark.Auction"/> bid on.</param>
/// <param name="Bidder">Id of the bidding <see cref="Person"/>.</param>
/// <param name="Price">Offered price, in cents.</param>
/// <param name="Channel">Where the bid came from: one of four hot channels (<c>Google</c>, <c>Facebook</c>, <c>Baidu</c>, <c>Apple</c>) or <c>channel-N</c>.</param>
/// <param name="Url">The page the bid was made on; fixed per channel.</param>
/// <param name="DateTime">Event time: when the bid was made, epoch milliseconds (UTC).</param>
/// <param name="Extra">Padding that brings the event to the configured average size (<see cref="NexmarkOptions.AvgBidByteSize"/>).</param>
public sealed record Bid(
    long Auction,
    long Bidder,
    long Price,
    string Channel,
    string Url,
    long DateTime,
    string Extra);
