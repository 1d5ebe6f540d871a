namespace StreamShield.Windowing;

/// <summary>
/// Fixed-size windows in processing time that start every <c>slide</c>: a record belongs to the size/slide (rounded up)
/// windows that contain the processing time at which it arrives. Flink's SlidingProcessingTimeWindows.
/// </summary>
/// <example><c>keyed.Window(SlidingProcessingTimeWindows.Of(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1)))</c></example>
public sealed class SlidingProcessingTimeWindows : SlidingWindows
{
    private SlidingProcessingTimeWindows(TimeSpan size, TimeSpan slide, TimeSpan offset) : base(false, size, slide, offset, nameof(SlidingProcessingTimeWindows)) { }

    /// <summary>Windows of length <paramref name="size"/> starting every <paramref name="slide"/>, aligned to the epoch.</summary>
    public static SlidingProcessingTimeWindows Of(TimeSpan size, TimeSpan slide) => new(size, slide, TimeSpan.Zero);

    /// <summary>Windows of length <paramref name="size"/> starting every <paramref name="slide"/>, shifted by <paramref name="offset"/> (|offset| &lt; slide).</summary>
    public static SlidingProcessingTimeWindows Of(TimeSpan size, TimeSpan slide, TimeSpan offset) => new(size, slide, offset);
}
