namespace StreamShield.Windowing;

/// <summary>
/// Fixed-size, non-overlapping windows in processing time: a record arriving at processing time t belongs to the one
/// window [start, start + size) with start ≡ offset (mod size). Flink's TumblingProcessingTimeWindows.
/// </summary>
/// <example><c>keyed.Window(TumblingProcessingTimeWindows.Of(TimeSpan.FromMinutes(1)))</c></example>
public sealed class TumblingProcessingTimeWindows : TumblingWindows
{
    private TumblingProcessingTimeWindows(TimeSpan size, TimeSpan offset) : base(false, size, offset, nameof(TumblingProcessingTimeWindows)) { }

    /// <summary>Windows of length <paramref name="size"/>, aligned to the epoch.</summary>
    public static TumblingProcessingTimeWindows Of(TimeSpan size) => new(size, TimeSpan.Zero);

    /// <summary>Windows of length <paramref name="size"/> shifted by <paramref name="offset"/> (|offset| &lt; size).</summary>
    public static TumblingProcessingTimeWindows Of(TimeSpan size, TimeSpan offset) => new(size, offset);
}
