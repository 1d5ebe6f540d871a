namespace StreamShield.EventTime;

/// <summary>
/// How a stream gets event timestamps and watermarks: a timestamp assigner, a watermark generator, and an
/// optional idleness timeout after which a source subtask without records stops holding back the watermark.
/// </summary>
public sealed class WatermarkStrategy<T>
{
    private WatermarkStrategy(Func<WatermarkGenerator<T>>? generator, Func<T, long>? timestampAssigner, TimeSpan? idleness)
    {
        GeneratorFactory = generator;
        TimestampAssigner = timestampAssigner;
        IdleTimeout = idleness;
    }

    internal Func<WatermarkGenerator<T>>? GeneratorFactory { get; }
    internal Func<T, long>? TimestampAssigner { get; }
    internal TimeSpan? IdleTimeout { get; }

    /// <summary>No event time: records carry no timestamps and no watermarks are generated (processing-time jobs).</summary>
    public static WatermarkStrategy<T> NoWatermarks() => new(null, null, null);

    /// <summary>Timestamps never decrease: the watermark is the largest timestamp seen minus one millisecond.</summary>
    public static WatermarkStrategy<T> ForMonotonousTimestamps() => new(() => new BoundedOutOfOrdernessGenerator<T>(0), null, null);

    /// <summary>Records may arrive up to <paramref name="maxOutOfOrderness"/> late relative to the largest timestamp seen.</summary>
    public static WatermarkStrategy<T> ForBoundedOutOfOrderness(TimeSpan maxOutOfOrderness)
    {
        if (maxOutOfOrderness < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(maxOutOfOrderness), "The out-of-orderness bound must not be negative.");
        var bound = (long)maxOutOfOrderness.TotalMilliseconds;
        return new(() => new BoundedOutOfOrdernessGenerator<T>(bound), null, null);
    }

    /// <summary>A custom watermark generator, created once per source subtask.</summary>
    public static WatermarkStrategy<T> ForGenerator(Func<WatermarkGenerator<T>> generatorFactory) =>
        new(generatorFactory ?? throw new ArgumentNullException(nameof(generatorFactory)), null, null);

    /// <summary>Extracts the event timestamp (epoch milliseconds) from each record.</summary>
    public WatermarkStrategy<T> WithTimestampAssigner(Func<T, long> assigner) =>
        new(GeneratorFactory, assigner ?? throw new ArgumentNullException(nameof(assigner)), IdleTimeout);

    /// <summary>Marks a source subtask idle after <paramref name="timeout"/> without records, so it does not hold back the watermark.</summary>
    public WatermarkStrategy<T> WithIdleness(TimeSpan timeout) => new(GeneratorFactory, TimestampAssigner, timeout);
}
