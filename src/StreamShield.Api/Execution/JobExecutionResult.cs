namespace StreamShield.Execution;

/// <summary>How a job ended.</summary>
public sealed record JobExecutionResult(
    string JobName,
    JobStatus Status,
    TimeSpan Duration,
    JobMetrics Metrics,
    IReadOnlyList<JobEvent> Timeline,
    Exception? Failure)
{
    /// <summary>Throws the job's failure, if it failed.</summary>
    public JobExecutionResult EnsureSuccess()
    {
        if (Status == JobStatus.Failed)
            throw new JobFailedException($"Job '{JobName}' failed: {Failure?.Message}", Failure);
        return this;
    }
}

/// <summary>A job failed and its restart strategy gave up.</summary>
public sealed class JobFailedException(string message, Exception? inner) : Exception(message, inner);
