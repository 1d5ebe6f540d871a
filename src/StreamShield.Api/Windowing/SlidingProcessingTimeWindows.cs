namespace StreamShield.Windowing;

/// <summary>
/// Fixed-size windows in processing time that start every <c>slide</c>: a record belongs to the size/slide (rounded up)
/// windows [start, start + size) with start ≡ offset (mod slide) that contain the processing time at which it arrives. Flink's SlidingProcessingTimeWindows.
/// </summary>
/// <example><c>keyed.Window(SlidingProcessingTimeWindows.Of(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1)))</c></example>
public sealed class SlidingProcessingTimeWindows : WindowAssigner
{
    private readonly long _size;
    private readonly long _slide;
    private readonly long _offset;

    private SlidingProcessingTimeWindows(long size, long slide, long offset)
    {
        _size = size;
        _slide = slide;
        _offset = offset;
    }

    /// <summary>Windows of length <paramref name="size"/> starting every <paramref name="slide"/>, aligned to the epoch.</summary>
    public static SlidingProcessingTimeWindows Of(TimeSpan size, TimeSpan slide) => Of(size, slide, TimeSpan.Zero);

    /// <summary>Windows of length <paramref name="size"/> starting every <paramref name="slide"/>, shifted by <paramref name="offset"/> (|offset| &lt; slide).</summary>
    public static SlidingProcessingTimeWindows Of(TimeSpan size, TimeSpan slide, TimeSpan offset)
    {
        var s = PositiveMillis(size, nameof(SlidingProcessingTimeWindows), nameof(size));
        var sl = PositiveMillis(slide, nameof(SlidingProcessingTimeWindows), nameof(slide));
        var o = Millis(offset);
        if (Math.Abs(o) >= sl) throw new ArgumentException($"{nameof(SlidingProcessingTimeWindows)} parameters must satisfy abs(offset) < slide and size > 0.", nameof(offset));
        return new SlidingProcessingTimeWindows(s, sl, o);
    }

    /// <summary>The window length.</summary>
    public TimeSpan Size => TimeSpan.FromMilliseconds(_size);

    /// <summary>The distance between window starts.</summary>
    public TimeSpan Slide => TimeSpan.FromMilliseconds(_slide);

    /// <summary>The alignment offset.</summary>
    public TimeSpan Offset => TimeSpan.FromMilliseconds(_offset);

    /// <inheritdoc />
    public override bool IsEventTime => false;

    /// <inheritdoc />
    public override IReadOnlyList<TimeWindow> AssignWindows(long timestamp, long currentProcessingTime)
    {
        var windows = new List<TimeWindow>((int)Math.Min(int.MaxValue, (_size + _slide - 1) / _slide));
        AssignInto(timestamp, currentProcessingTime, windows);
        return windows;
    }

    internal override void AssignInto(long timestamp, long currentProcessingTime, List<TimeWindow> windows)
    {
        var lastStart = TimeWindow.GetWindowStartWithOffset(currentProcessingTime, _offset, _slide);
        for (var start = lastStart; start > currentProcessingTime - _size; start -= _slide)
            windows.Add(new TimeWindow(start, start + _size));
    }

    /// <inheritdoc />
    public override string ToString() => $"SlidingProcessingTimeWindows({_size}, {_slide})";
}
