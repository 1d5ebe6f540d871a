namespace StreamShield.EventTime;

/// <summary>Well-known watermark values.</summary>
public static class Watermark
{
    /// <summary>No event time has been seen yet.</summary>
    public const long Min = long.MinValue;
    /// <summary>The final watermark: emitted at the end of bounded input so that every window fires.</summary>
    public const long Max = long.MaxValue;
}
