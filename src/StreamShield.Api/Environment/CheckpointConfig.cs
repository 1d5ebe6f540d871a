namespace StreamShield;

/// <summary>Consistency of checkpoints.</summary>
public enum CheckpointingMode
{
    /// <summary>Aligned barriers: every record affects the state in exactly one checkpoint.</summary>
    ExactlyOnce,
    /// <summary>No alignment: lower latency under backpressure, records after a barrier may be replayed after a restore.</summary>
    AtLeastOnce,
}

/// <summary>
/// Checkpoint settings of a job, with Flink's names and defaults. Checkpointing is off until
/// <see cref="Interval"/> is set (see <see cref="StreamEnvironment.EnableCheckpointing"/>).
/// </summary>
public sealed class CheckpointConfig
{
    /// <summary>Time between checkpoint triggers; null disables periodic checkpoints.</summary>
    public TimeSpan? Interval { get; set; }

    /// <summary>Exactly-once (aligned) or at-least-once.</summary>
    public CheckpointingMode Mode { get; set; } = CheckpointingMode.ExactlyOnce;

    /// <summary>A checkpoint not complete after this long is aborted.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Least time between the end of one checkpoint and the start of the next.</summary>
    public TimeSpan MinPauseBetweenCheckpoints { get; set; } = TimeSpan.Zero;

    /// <summary>How many checkpoints may be in flight at once.</summary>
    public int MaxConcurrentCheckpoints { get; set; } = 1;

    /// <summary>Consecutive failed checkpoints tolerated before the job fails over.</summary>
    public int TolerableCheckpointFailures { get; set; } = 0;

    /// <summary>How many completed checkpoints to keep in storage (the newest ones).</summary>
    public int RetainedCheckpoints { get; set; } = 1;

    /// <summary>Directory for checkpoints and savepoints; null uses a temporary directory deleted when the job ends.</summary>
    public string? Directory { get; set; }

    internal void Validate()
    {
        if (Interval is { } i && i < TimeSpan.FromMilliseconds(10))
            throw new JobBuildException("The checkpoint interval must be at least 10 ms. Set CheckpointConfig.Interval to a larger value.");
        if (MaxConcurrentCheckpoints < 1)
            throw new JobBuildException("MaxConcurrentCheckpoints must be at least 1.");
        if (RetainedCheckpoints < 1)
            throw new JobBuildException("RetainedCheckpoints must be at least 1.");
        if (TolerableCheckpointFailures < 0)
            throw new JobBuildException("TolerableCheckpointFailures must not be negative.");
    }
}
