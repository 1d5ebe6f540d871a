using System.Text.Json;

namespace StreamShield.Connectors.Nexmark;

/// <summary>The JSON-lines names: the reference model's field names, plus <c>type</c>. Pre-encoded once.</summary>
internal static class NexmarkJsonFields
{
    public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    public static readonly JsonEncodedText PersonType = JsonEncodedText.Encode("person");
    public static readonly JsonEncodedText AuctionType = JsonEncodedText.Encode("auction");
    public static readonly JsonEncodedText BidType = JsonEncodedText.Encode("bid");

    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    public static readonly JsonEncodedText EmailAddress = JsonEncodedText.Encode("emailAddress");
    public static readonly JsonEncodedText CreditCard = JsonEncodedText.Encode("creditCard");
    public static readonly JsonEncodedText City = JsonEncodedText.Encode("city");
    public static readonly JsonEncodedText State = JsonEncodedText.Encode("state");
    public static readonly JsonEncodedText DateTime = JsonEncodedText.Encode("dateTime");
    public static readonly JsonEncodedText Extra = JsonEncodedText.Encode("extra");

    public static readonly JsonEncodedText ItemName = JsonEncodedText.Encode("itemName");
    public static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
    public static readonly JsonEncodedText InitialBid = JsonEncodedText.Encode("initialBid");
    public static readonly JsonEncodedText Reserve = JsonEncodedText.Encode("reserve");
    public static readonly JsonEncodedText Expires = JsonEncodedText.Encode("expires");
    public static readonly JsonEncodedText Seller = JsonEncodedText.Encode("seller");
    public static readonly JsonEncodedText Category = JsonEncodedText.Encode("category");

    public static readonly JsonEncodedText Auction = JsonEncodedText.Encode("auction");
    public static readonly JsonEncodedText Bidder = JsonEncodedText.Encode("bidder");
    public static readonly JsonEncodedText Price = JsonEncodedText.Encode("price");
    public static readonly JsonEncodedText Channel = JsonEncodedText.Encode("channel");
    public static readonly JsonEncodedText Url = JsonEncodedText.Encode("url");
}
