using StreamShield.Execution;
using StreamShield.Runtime.Graph;

namespace StreamShield.Runtime.Execution;

/// <summary>Runs jobs in this process: the default executor of <see cref="StreamEnvironment"/>.</summary>
public sealed class EmbeddedExecutor : IJobExecutor
{
    /// <summary>Called with every timeline event of jobs started by this executor (for live views and logs).</summary>
    public Action<JobEvent>? Listener { get; init; }

    /// <inheritdoc />
    public IJobClient Start(StreamEnvironment environment, string jobName)
    {
        JobSettings.ApplyToCheckpointing(environment); // configuration entries over what the code set; bad ones fail here
        var graph = JobGraphBuilder.Build(environment, jobName);
        var master = new JobMaster(environment, graph, Listener);
        master.Start();
        return new EmbeddedJobClient(master);
    }
}

/// <summary>Handle to a job running embedded.</summary>
internal sealed class EmbeddedJobClient(JobMaster master) : IJobClient
{
    public JobMaster Master => master;
    public string JobName => master.JobName;
    public JobStatus Status => master.Status;
    public JobMetrics Metrics => master.Metrics();
    public IReadOnlyList<JobEvent> Timeline => master.Timeline.Snapshot();
    public Task<JobExecutionResult> Completion => master.Completion;
    public void Cancel() => master.Cancel();

    public Task<string> TriggerSavepointAsync(string directory, CancellationToken cancellationToken = default) =>
        master.Coordinator.TriggerSavepoint(directory).WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (!master.Completion.IsCompleted)
        {
            master.Cancel();
            await master.Completion.ConfigureAwait(false);
        }
    }
}
