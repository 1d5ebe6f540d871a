namespace StreamShield.Windowing;

/// <summary>
/// A window of event or processing time: the half-open interval [<see cref="Start"/>, <see cref="End"/>) in epoch
/// milliseconds. Flink's TimeWindow. Results of a window are emitted with timestamp <see cref="MaxTimestamp"/>.
/// </summary>
/// <param name="Start">First millisecond in the window (inclusive).</param>
/// <param name="End">End of the window (exclusive).</param>
public readonly record struct TimeWindow(long Start, long End)
{
    /// <summary>The largest timestamp that belongs to the window: <c>End - 1</c>. An event-time window fires when the watermark reaches it.</summary>
    public long MaxTimestamp => End - 1;

    /// <summary>
    /// True if the windows overlap or touch (<c>Start &lt;= other.End &amp;&amp; End &gt;= other.Start</c>), so that merging
    /// assigners (session windows) combine them.
    /// </summary>
    public bool Intersects(TimeWindow other) => Start <= other.End && End >= other.Start;

    /// <summary>The smallest window that contains both windows.</summary>
    public TimeWindow Cover(TimeWindow other) => new(Math.Min(Start, other.Start), Math.Max(End, other.End));

    /// <summary>
    /// The start of the window of length <paramref name="windowSize"/>, aligned to <paramref name="offset"/> (both in
    /// milliseconds), that contains <paramref name="timestamp"/>. Correct for negative timestamps and offsets.
    /// </summary>
    public static long GetWindowStartWithOffset(long timestamp, long offset, long windowSize)
    {
        if (windowSize <= 0) throw new ArgumentOutOfRangeException(nameof(windowSize), "The window size must be positive.");
        var remainder = (timestamp - offset) % windowSize;
        return remainder < 0 ? timestamp - (remainder + windowSize) : timestamp - remainder;
    }

    /// <inheritdoc />
    public override string ToString() => $"TimeWindow[{Start}, {End})";
}
