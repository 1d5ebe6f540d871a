namespace StreamShield.Connectors.Nexmark;

/// <summary>What an <see cref="Event"/> holds. Values as in the reference model.</summary>
public enum EventType : byte
{
    /// <summary>A new <see cref="Nexmark.Person"/>.</summary>
    Person = 0,
    /// <summary>A new <see cref="Nexmark.Auction"/>.</summary>
    Auction = 1,
    /// <summary>A <see cref="Nexmark.Bid"/>.</summary>
    Bid = 2,
}
