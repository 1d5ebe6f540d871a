namespace StreamShield.Connectors.Nexmark;

/// <summary>The unit of <see cref="NexmarkOptions.FirstEventRate"/> and <see cref="NexmarkOptions.NextEventRate"/> (the reference's <c>rateUnit</c>).</summary>
public enum RateUnit
{
    /// <summary>Events per second.</summary>
    PerSecond,
    /// <summary>Events per minute.</summary>
    PerMinute,
}
