namespace StreamShield.Functions;

/// <summary>
/// Timers for the current key. Timers are checkpointed with keyed state; registering the same
/// (timestamp, key) twice fires once.
/// </summary>
public abstract class TimerService
{
    /// <summary>Current processing time in epoch milliseconds, from the runtime's clock.</summary>
    public abstract long CurrentProcessingTime { get; }
    /// <summary>Current event-time watermark of this operator.</summary>
    public abstract long CurrentWatermark { get; }
    /// <summary>Registers an event-time timer for the current key.</summary>
    public abstract void RegisterEventTimeTimer(long timestamp);
    /// <summary>Registers a processing-time timer for the current key.</summary>
    public abstract void RegisterProcessingTimeTimer(long timestamp);
    /// <summary>Deletes an event-time timer of the current key.</summary>
    public abstract void DeleteEventTimeTimer(long timestamp);
    /// <summary>Deletes a processing-time timer of the current key.</summary>
    public abstract void DeleteProcessingTimeTimer(long timestamp);
}
