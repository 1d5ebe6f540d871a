namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// One Nexmark event: exactly one of <see cref="NewPerson"/>, <see cref="NewAuction"/> and <see cref="Bid"/> is set,
/// as <see cref="Type"/> says (the reference model's <c>newPerson</c>, <c>newAuction</c>, <c>bid</c> and <c>type</c>).
/// A small immutable struct, so a stream of events allocates only the payloads; it serializes with
/// <see cref="Serialization.TypeSerializers"/> like any record (type byte, then each payload with a presence byte).
/// </summary>
public readonly record struct Event(EventType Type, Person? NewPerson, Auction? NewAuction, Bid? Bid)
{
    /// <summary>A person event.</summary>
    public static Event Of(Person person) => new(EventType.Person, person ?? throw new ArgumentNullException(nameof(person)), null, null);

    /// <summary>An auction event.</summary>
    public static Event Of(Auction auction) => new(EventType.Auction, null, auction ?? throw new ArgumentNullException(nameof(auction)), null);

    /// <summary>A bid event.</summary>
    public static Event Of(Bid bid) => new(EventType.Bid, null, null, bid ?? throw new ArgumentNullException(nameof(bid)));

    /// <summary>The event time of the payload (its <c>dateTime</c>), epoch milliseconds.</summary>
    /// <exception cref="InvalidOperationException">The event has no payload for its type (a default value).</exception>
    public long Timestamp => Type switch
    {
        EventType.Person when NewPerson is { } p => p.DateTime,
        EventType.Auction when NewAuction is { } a => a.DateTime,
        EventType.Bid when Bid is { } b => b.DateTime,
        _ => throw Invalid(),
    };

    private InvalidOperationException Invalid() =>
        new($"The Nexmark event of type {Type} has no {Type} payload; create events with Event.Of.");

    /// <inheritdoc />
    public override string ToString() => Type switch
    {
        EventType.Person => $"Event {{ {NewPerson} }}",
        EventType.Auction => $"Event {{ {NewAuction} }}",
        _ => $"Event {{ {Bid} }}",
    };
}
