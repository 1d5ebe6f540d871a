namespace StreamShield.Execution;

/// <summary>A handle to a running job: its status, metrics, timeline and controls. Thread-safe.</summary>
public interface IJobClient : IAsyncDisposable
{
    /// <summary>The job's name.</summary>
    string JobName { get; }
    /// <summary>Current status.</summary>
    JobStatus Status { get; }
    /// <summary>Current counters.</summary>
    JobMetrics Metrics { get; }
    /// <summary>The timeline so far.</summary>
    IReadOnlyList<JobEvent> Timeline { get; }
    /// <summary>Completes when the job reaches a terminal status.</summary>
    Task<JobExecutionResult> Completion { get; }
    /// <summary>Cancels the job (no final checkpoint; uncommitted output is discarded).</summary>
    void Cancel();
    /// <summary>Writes a savepoint into <paramref name="directory"/> and returns its path.</summary>
    Task<string> TriggerSavepointAsync(string directory, CancellationToken cancellationToken = default);
}
