namespace StreamShield.Windowing;

/// <summary>
/// Fixed-size, non-overlapping windows in event time: a record with timestamp t belongs to the one window
/// [start, start + size) with start ≡ offset (mod size). Flink's TumblingEventTimeWindows.
/// </summary>
/// <example><c>keyed.Window(TumblingEventTimeWindows.Of(TimeSpan.FromMinutes(1)))</c></example>
public sealed class TumblingEventTimeWindows : TumblingWindows
{
    private TumblingEventTimeWindows(TimeSpan size, TimeSpan offset) : base(true, size, offset, nameof(TumblingEventTimeWindows)) { }

    /// <summary>Windows of length <paramref name="size"/>, aligned to the epoch.</summary>
    public static TumblingEventTimeWindows Of(TimeSpan size) => new(size, TimeSpan.Zero);

    /// <summary>Windows of length <paramref name="size"/> shifted by <paramref name="offset"/> (|offset| &lt; size), e.g. for time zones.</summary>
    public static TumblingEventTimeWindows Of(TimeSpan size, TimeSpan offset) => new(size, offset);
}
