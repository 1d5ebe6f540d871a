namespace StreamShield.Execution;

/// <summary>Kinds of entries in a job's event timeline.</summary>
public enum JobEventKind
{
    /// <summary>The job (or a new attempt of it) started.</summary>
    Started,
    /// <summary>A task failed.</summary>
    TaskFailed,
    /// <summary>The job is restarting after a failure.</summary>
    Restarting,
    /// <summary>State was restored from a checkpoint or savepoint.</summary>
    Restored,
    /// <summary>A checkpoint was triggered.</summary>
    CheckpointTriggered,
    /// <summary>A checkpoint completed.</summary>
    CheckpointCompleted,
    /// <summary>A checkpoint failed or was aborted.</summary>
    CheckpointFailed,
    /// <summary>A checkpoint in storage could not be read and was skipped.</summary>
    CheckpointSkipped,
    /// <summary>A savepoint was written.</summary>
    SavepointCompleted,
    /// <summary>A fault was injected on purpose.</summary>
    FaultInjected,
    /// <summary>The job finished.</summary>
    Finished,
    /// <summary>The job was cancelled.</summary>
    Canceled,
    /// <summary>The job failed for good.</summary>
    Failed,
}

/// <summary>
/// One timestamped entry of a job's timeline: failures, restarts, checkpoints. <see cref="Message"/> is one line;
/// for a failure, <see cref="Detail"/> holds the whole exception (type, message, stack trace, inner exceptions).
/// </summary>
public sealed record JobEvent(DateTimeOffset Time, JobEventKind Kind, string Message, string? Detail = null);
