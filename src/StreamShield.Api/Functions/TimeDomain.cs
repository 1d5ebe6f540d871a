namespace StreamShield.Functions;

/// <summary>Which clock a timer belongs to.</summary>
public enum TimeDomain
{
    /// <summary>Fires when the watermark passes the timer's timestamp.</summary>
    EventTime,
    /// <summary>Fires when the wall clock (through the runtime's processing-time service) passes it.</summary>
    ProcessingTime,
}
