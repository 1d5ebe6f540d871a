namespace StreamShield.EventTime;

/// <summary>
/// Produces watermarks from the event timestamps a source subtask sees. <see cref="OnEvent"/> is called per record,
/// <see cref="CurrentWatermark"/> periodically (the environment's auto-watermark interval). Flink's WatermarkGenerator.
/// </summary>
public abstract class WatermarkGenerator<T>
{
    /// <summary>Observes one record and its timestamp.</summary>
    public abstract void OnEvent(T record, long timestamp);

    /// <summary>The watermark to emit now (<see cref="Watermark.Min"/> if nothing can be promised yet).</summary>
    public abstract long CurrentWatermark { get; }
}

/// <summary>Watermarks that trail the largest timestamp seen by a fixed bound.</summary>
internal sealed class BoundedOutOfOrdernessGenerator<T>(long boundMillis) : WatermarkGenerator<T>
{
    private long _maxTimestamp = long.MinValue + boundMillis + 1;

    public override void OnEvent(T record, long timestamp)
    {
        if (timestamp > _maxTimestamp) _maxTimestamp = timestamp;
    }

    public override long CurrentWatermark => _maxTimestamp - boundMillis - 1;
}
