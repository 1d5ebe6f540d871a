namespace StreamShield.Execution;

/// <summary>
/// Runs a built job. The embedded executor of StreamShield.Runtime is used by default; it is found by name so
/// that the API does not depend on the runtime (like Flink's PipelineExecutor discovery).
/// </summary>
public interface IJobExecutor
{
    /// <summary>Starts the job and returns a handle to it.</summary>
    IJobClient Start(StreamEnvironment environment, string jobName);
}
