namespace StreamShield.Windowing;

/// <summary>
/// Fixed-size, non-overlapping windows in processing time: a record arriving at processing time t belongs to the one window
/// [start, start + size) with start ≡ offset (mod size). Flink's TumblingProcessingTimeWindows.
/// </summary>
/// <example><c>keyed.Window(TumblingProcessingTimeWindows.Of(TimeSpan.FromMinutes(1)))</c></example>
public sealed class TumblingProcessingTimeWindows : WindowAssigner
{
    private readonly long _size;
    private readonly long _offset;

    private TumblingProcessingTimeWindows(long size, long offset)
    {
        _size = size;
        _offset = offset;
    }

    /// <summary>Windows of length <paramref name="size"/> aligned to the epoch.</summary>
    public static TumblingProcessingTimeWindows Of(TimeSpan size) => Of(size, TimeSpan.Zero);

    /// <summary>
    /// Windows of length <paramref name="size"/> shifted by <paramref name="offset"/> (|offset| &lt; size), e.g. hourly windows
    /// starting at quarter past with an offset of 15 minutes, or days in UTC-8 with an offset of -8 hours.
    /// </summary>
    public static TumblingProcessingTimeWindows Of(TimeSpan size, TimeSpan offset)
    {
        var s = PositiveMillis(size, nameof(TumblingProcessingTimeWindows), nameof(size));
        var o = Millis(offset);
        if (Math.Abs(o) >= s) throw new ArgumentException($"{nameof(TumblingProcessingTimeWindows)} parameters must satisfy abs(offset) < size.", nameof(offset));
        return new TumblingProcessingTimeWindows(s, o);
    }

    /// <summary>The window length.</summary>
    public TimeSpan Size => TimeSpan.FromMilliseconds(_size);

    /// <summary>The alignment offset.</summary>
    public TimeSpan Offset => TimeSpan.FromMilliseconds(_offset);

    /// <inheritdoc />
    public override bool IsEventTime => false;

    /// <inheritdoc />
    public override IReadOnlyList<TimeWindow> AssignWindows(long timestamp, long currentProcessingTime)
    {
        var windows = new List<TimeWindow>(1);
        AssignInto(timestamp, currentProcessingTime, windows);
        return windows;
    }

    internal override void AssignInto(long timestamp, long currentProcessingTime, List<TimeWindow> windows)
    {
        var start = TimeWindow.GetWindowStartWithOffset(currentProcessingTime, _offset, _size);
        windows.Add(new TimeWindow(start, start + _size));
    }

    /// <inheritdoc />
    public override string ToString() => $"TumblingProcessingTimeWindows({_size})";
}
