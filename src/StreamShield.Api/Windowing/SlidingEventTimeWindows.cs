namespace StreamShield.Windowing;

/// <summary>
/// Fixed-size windows in event time that start every <c>slide</c>: a record belongs to the size/slide (rounded up)
/// windows [start, start + size) with start ≡ offset (mod slide) that contain its timestamp. Flink's SlidingEventTimeWindows.
/// </summary>
/// <example><c>keyed.Window(SlidingEventTimeWindows.Of(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1)))</c></example>
public sealed class SlidingEventTimeWindows : WindowAssigner
{
    private readonly long _size;
    private readonly long _slide;
    private readonly long _offset;

    private SlidingEventTimeWindows(long size, long slide, long offset)
    {
        _size = size;
        _slide = slide;
        _offset = offset;
    }

    /// <summary>Windows of length <paramref name="size"/> starting every <paramref name="slide"/>, aligned to the epoch.</summary>
    public static SlidingEventTimeWindows Of(TimeSpan size, TimeSpan slide) => Of(size, slide, TimeSpan.Zero);

    /// <summary>Windows of length <paramref name="size"/> starting every <paramref name="slide"/>, shifted by <paramref name="offset"/> (|offset| &lt; slide).</summary>
    public static SlidingEventTimeWindows Of(TimeSpan size, TimeSpan slide, TimeSpan offset)
    {
        var s = PositiveMillis(size, nameof(SlidingEventTimeWindows), nameof(size));
        var sl = PositiveMillis(slide, nameof(SlidingEventTimeWindows), nameof(slide));
        var o = Millis(offset);
        if (Math.Abs(o) >= sl) throw new ArgumentException($"{nameof(SlidingEventTimeWindows)} parameters must satisfy abs(offset) < slide and size > 0.", nameof(offset));
        return new SlidingEventTimeWindows(s, sl, o);
    }

    /// <summary>The window length.</summary>
    public TimeSpan Size => TimeSpan.FromMilliseconds(_size);

    /// <summary>The distance between window starts.</summary>
    public TimeSpan Slide => TimeSpan.FromMilliseconds(_slide);

    /// <summary>The alignment offset.</summary>
    public TimeSpan Offset => TimeSpan.FromMilliseconds(_offset);

    /// <inheritdoc />
    public override bool IsEventTime => true;

    /// <inheritdoc />
    public override IReadOnlyList<TimeWindow> AssignWindows(long timestamp, long currentProcessingTime)
    {
        var windows = new List<TimeWindow>((int)Math.Min(int.MaxValue, (_size + _slide - 1) / _slide));
        AssignInto(timestamp, currentProcessingTime, windows);
        return windows;
    }

    internal override void AssignInto(long timestamp, long currentProcessingTime, List<TimeWindow> windows)
    {
        if (timestamp == long.MinValue) throw NoTimestamp(nameof(SlidingEventTimeWindows));
        var lastStart = TimeWindow.GetWindowStartWithOffset(timestamp, _offset, _slide);
        for (var start = lastStart; start > timestamp - _size; start -= _slide)
            windows.Add(new TimeWindow(start, start + _size));
    }

    /// <inheritdoc />
    public override string ToString() => $"SlidingEventTimeWindows({_size}, {_slide})";
}
