namespace StreamShield.Windowing;

/// <summary>
/// Assigns records to time windows by their timestamp (or the processing time) alone, independent of the record's
/// value: the base of all built-in assigners (<see cref="TumblingEventTimeWindows"/>, <see cref="SlidingEventTimeWindows"/>,
/// <see cref="EventTimeSessionWindows"/> and their processing-time counterparts). It converts implicitly to
/// <see cref="WindowAssigner{T}"/> for any record type, so it can be passed to <c>KeyedStream.Window</c> and to window joins.
/// Instances are immutable and may be shared by jobs and threads.
/// </summary>
public abstract class WindowAssigner
{
    /// <summary>
    /// The windows a record with event timestamp <paramref name="timestamp"/> belongs to, when the operator's processing-time
    /// clock reads <paramref name="currentProcessingTime"/>. Called once per record; must be pure.
    /// </summary>
    public abstract IReadOnlyList<TimeWindow> AssignWindows(long timestamp, long currentProcessingTime);

    /// <summary>True if windows are in event time (fire on watermarks), false for processing time (fire on the clock).</summary>
    public abstract bool IsEventTime { get; }

    /// <summary>
    /// True if windows merge (session windows): windows of one key that intersect (<see cref="TimeWindow.Intersects"/>)
    /// are combined into their cover, and their contents merged.
    /// </summary>
    public virtual bool IsMerging => false;

    /// <summary>Adds the record's windows to <paramref name="windows"/>; built-ins override this to avoid allocating per record.</summary>
    internal virtual void AssignInto(long timestamp, long currentProcessingTime, List<TimeWindow> windows) =>
        windows.AddRange(AssignWindows(timestamp, currentProcessingTime));

    /// <summary>Whole milliseconds of <paramref name="value"/>, which must be at least 1 ms.</summary>
    internal static long PositiveMillis(TimeSpan value, string assigner, string parameter)
    {
        var millis = value.Ticks / TimeSpan.TicksPerMillisecond;
        if (millis <= 0)
            throw new ArgumentOutOfRangeException(parameter, value, $"{assigner}: the {parameter} must be at least 1 millisecond.");
        return millis;
    }

    /// <summary>Whole milliseconds of <paramref name="value"/> (may be negative).</summary>
    internal static long Millis(TimeSpan value) => value.Ticks / TimeSpan.TicksPerMillisecond;

    /// <summary>Thrown by event-time assigners for records without a timestamp.</summary>
    internal static InvalidOperationException NoTimestamp(string assigner) => new(
        $"{assigner} got a record without an event timestamp. Event-time windows need timestamps: call " +
        "AssignTimestampsAndWatermarks(...) on the stream (or give the source a watermark strategy with a timestamp assigner), " +
        "or use a processing-time window assigner.");
}
