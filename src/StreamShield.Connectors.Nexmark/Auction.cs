namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// An item put up for auction. Field names follow the reference Nexmark model (<c>id, itemName, description,
/// initialBid, reserve, dateTime, expires, seller, category, extra</c>).
/// </summary>
/// <param name="Id">Unique id, from 1000 upwards in creation order.</param>
/// <param name="ItemName">Short random text.</param>
/// <param name="Description">Longer random text.</param>
/// <param name="InitialBid">Starting price, in cents.</param>
/// <param name="Reserve">Reserve price, in cents; never below <paramref name="InitialBid"/>.</param>
/// <param name="DateTime">Event time: when the auction opened, epoch milliseconds (UTC).</param>
/// <param name="Expires">When the auction closes, epoch milliseconds (UTC); after <paramref name="DateTime"/>.</param>
/// <param name="Seller">Id of the selling <see cref="Person"/>.</param>
/// <param name="Category">Category id, 10 to 14.</param>
/// <param name="Extra">Padding that brings the event to the configured average size (<see cref="NexmarkOptions.AvgAuctionByteSize"/>).</param>
public sealed record Auction(
    long Id,
    string ItemName,
    string Description,
    long InitialBid,
    long Reserve,
    long DateTime,
    long Expires,
    long Seller,
    long Category,
    string Extra);
