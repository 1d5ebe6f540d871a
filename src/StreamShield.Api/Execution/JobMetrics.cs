namespace StreamShield.Execution;

/// <summary>A point-in-time view of a job's counters, summed over its subtasks and attempts.</summary>
public sealed record JobMetrics(
    long RecordsIn,
    long RecordsOut,
    long CheckpointsCompleted,
    long CheckpointsFailed,
    int Restarts,
    long? LastCheckpointId,
    TimeSpan? LastCheckpointDuration,
    long? LastCheckpointBytes);
