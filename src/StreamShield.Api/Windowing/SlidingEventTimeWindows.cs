namespace StreamShield.Windowing;

/// <summary>
/// Fixed-size windows in event time that start every <c>slide</c>: a record belongs to the size/slide (rounded up)
/// windows [start, start + size) with start ≡ offset (mod slide) that contain its timestamp. Flink's SlidingEventTimeWindows.
/// </summary>
/// <example><c>keyed.Window(SlidingEventTimeWindows.Of(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1)))</c></example>
public sealed class SlidingEventTimeWindows : SlidingWindows
{
    private SlidingEventTimeWindows(TimeSpan size, TimeSpan slide, TimeSpan offset) : base(true, size, slide, offset, nameof(SlidingEventTimeWindows)) { }

    /// <summary>Windows of length <paramref name="size"/> starting every <paramref name="slide"/>, aligned to the epoch.</summary>
    public static SlidingEventTimeWindows Of(TimeSpan size, TimeSpan slide) => new(size, slide, TimeSpan.Zero);

    /// <summary>Windows of length <paramref name="size"/> starting every <paramref name="slide"/>, shifted by <paramref name="offset"/> (|offset| &lt; slide).</summary>
    public static SlidingEventTimeWindows Of(TimeSpan size, TimeSpan slide, TimeSpan offset) => new(size, slide, offset);
}
