namespace StreamShield.Execution;

/// <summary>Lifecycle of a job, with Flink's names.</summary>
public enum JobStatus
{
    /// <summary>Built, not yet running.</summary>
    Created,
    /// <summary>Tasks are running.</summary>
    Running,
    /// <summary>A task failed; the job is being restarted from the latest checkpoint.</summary>
    Restarting,
    /// <summary>All input was processed and the final checkpoint committed.</summary>
    Finished,
    /// <summary>Cancelled by the user.</summary>
    Canceled,
    /// <summary>Failed and the restart strategy gave up.</summary>
    Failed,
}
