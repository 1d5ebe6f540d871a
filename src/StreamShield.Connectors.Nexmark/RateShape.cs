namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// How the event rate moves between <see cref="NexmarkOptions.FirstEventRate"/> and
/// <see cref="NexmarkOptions.NextEventRate"/> over each <see cref="NexmarkOptions.RatePeriodSec"/> (the reference's
/// <c>rateShape</c>). Only matters when the two rates differ.
/// </summary>
public enum RateShape
{
    /// <summary>Two steps: the first rate for half the period, then the next rate for the other half.</summary>
    Square,
    /// <summary>Ten steps approximating a cosine from the first rate down (or up) to the next rate and back.</summary>
    Sine,
}
