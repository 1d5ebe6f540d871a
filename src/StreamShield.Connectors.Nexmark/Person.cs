namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// A person joining the auction site: a seller of auctions and a bidder. Field names follow the reference Nexmark
/// model (<c>id, name, emailAddress, creditCard, city, state, dateTime, extra</c>).
/// </summary>
/// <param name="Id">Unique id, from 1000 upwards in creation order.</param>
/// <param name="Name">First and last name.</param>
/// <param name="EmailAddress">A made-up e-mail address.</param>
/// <param name="CreditCard">Four groups of four digits.</param>
/// <param name="City">One of ten US cities.</param>
/// <param name="State">One of six US states.</param>
/// <param name="DateTime">Event time: when the person joined, epoch milliseconds (UTC).</param>
/// <param name="Extra">Padding that brings the event to the configured average size (<see cref="NexmarkOptions.AvgPersonByteSize"/>).</param>
public sealed record Person(
    long Id,
    string Name,
    string EmailAddress,
    string CreditCard,
    string City,
    string State,
    long DateTime,
    string Extra);
