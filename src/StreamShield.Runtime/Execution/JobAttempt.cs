using StreamShield.Runtime.Checkpointing;
using StreamShield.Runtime.Faults;
using StreamShield.Runtime.Graph;
using StreamShield.Runtime.Network;
using StreamShield.Runtime.Tasks;

namespace StreamShield.Runtime.Execution;

/// <summary>
/// One deployment of the job graph: channels and subtasks, restored from a checkpoint or fresh. It relays the
/// subtasks' reports to the job master and the checkpoint coordinator, and ignores reports once it is over, so a
/// late message from a cancelled attempt cannot affect the next one.
/// </summary>
internal sealed class JobAttempt : ITaskOwner
{
    private readonly JobMaster _master;
    private readonly List<StreamTask> _tasks = new();
    private int _finishedData;
    private int _terminated;
    private volatile bool _over;

    public JobAttempt(JobMaster master, int attempt, RestoreAssignment? restore, JobSettings settings)
    {
        _master = master;
        Attempt = attempt;
        Mode = master.Environment.Checkpointing.Mode;
        Clock = master.Environment.Clock;
        BufferTimeout = master.Environment.BufferTimeout;
        Storage = master.Storage;
        Faults = master.Faults;

        // One signal per subtask; a channel wakes its consumer's signal, and credit returned wakes its producer's.
        var execution = master.Execution;
        var signals = execution.Vertices.ToDictionary(v => v, _ => new TaskSignal());
        var channels = execution.Channels.ToDictionary(c => c, c => new LocalChannel(c.Name, settings.CreditsPerChannel, signals[c.Consumer]));
        foreach (var ev in execution.Vertices)
            _tasks.Add(new StreamTask(TaskDeployment.Create(ev, c => channels[c], c => channels[c], signals[ev], restore, settings), this));
    }

    public int Attempt { get; }
    public string AttemptId { get; } = $"{Guid.NewGuid():N}"[..10];
    public CheckpointingMode Mode { get; }
    public TimeProvider Clock { get; }
    public TimeSpan BufferTimeout { get; }
    public ICheckpointStorage Storage { get; }
    public FaultInjector? Faults { get; }
    public IReadOnlyList<StreamTask> Tasks => _tasks;
    public bool IsOver => _over;

    public void Start()
    {
        foreach (var t in _tasks) t.Start();
    }

    /// <summary>Marks the attempt over: later reports from its subtasks are ignored.</summary>
    public void End() => _over = true;

    public void CancelAll()
    {
        _over = true;
        foreach (var t in _tasks) t.Cancel();
    }

    public bool WaitTerminated(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var t in _tasks)
            if (!t.Join(deadline - DateTime.UtcNow is { } left && left > TimeSpan.Zero ? left : TimeSpan.Zero)) return false;
        return true;
    }

    public void RunAsync(Action work) => _master.Snapshots.Execute(work);

    public CheckpointTarget? TargetOf(long checkpointId) => _over ? null : _master.Coordinator.TargetOf(checkpointId);

    public void OnTaskFailed(StreamTask task, Exception error)
    {
        if (_over) return;
        _master.OnAttemptFailed(this, task, error);
    }

    public void OnCheckpointAcknowledged(StreamTask task, long checkpointId, TaskCheckpointAck ack)
    {
        if (!_over) _master.Coordinator.Acknowledge(task, checkpointId, ack);
    }

    public void OnCheckpointDeclined(StreamTask task, long checkpointId, Exception reason)
    {
        if (!_over) _master.Coordinator.Decline(checkpointId, new Exception($"{task.Name}: {reason.Message}", reason));
    }

    public void OnDataFinished(StreamTask task)
    {
        if (_over) return;
        if (Interlocked.Increment(ref _finishedData) == _tasks.Count) _master.OnAllDataFinished(this);
    }

    public void OnTerminated(StreamTask task)
    {
        if (Interlocked.Increment(ref _terminated) == _tasks.Count) _master.OnAttemptTerminated(this);
    }

    public long RecordsIn => _tasks.Where(t => t.Deployment.Vertex.IsSource).Sum(t => t.RecordsIn);
    public long SinkRecords => _tasks.Sum(t => t.SinkRecords);
}

/// <summary>Runtime settings of a job, from <see cref="StreamEnvironment.Configuration"/>.</summary>
internal sealed record JobSettings(int CreditsPerChannel, long RetainedOutputMemoryPerChannel, long RetainedOutputSpillPerChannel, string SpillDirectory,
    bool IncrementalSnapshots = true, int? TolerableCheckpointFailures = null)
{
    /// <summary>Flink's key for <see cref="CheckpointConfig.TolerableCheckpointFailures"/>; set, it overrides the job's code.</summary>
    public const string TolerableFailuresKey = "execution.checkpointing.tolerable-failed-checkpoints";

    public const string CreditsKey = "network.credits-per-channel";
    public const string RetainedKey = "network.retained-output.memory-per-channel";
    public const string SpillKey = "network.retained-output.spill-per-channel";

    /// <summary>
    /// `true` (default): a checkpoint writes only the keyed state that changed since the newest completed one and
    /// refers to the older files for the rest; `false`: every checkpoint writes all keyed state. Savepoints are always full.
    /// </summary>
    public const string IncrementalKey = "state.backend.incremental";

    /// <summary>
    /// `full` (restart every subtask) or `region` (restart only the failed subtask's pipelined region). Region
    /// failover applies on a cluster; embedded jobs always restart in full.
    /// </summary>
    public const string FailoverKey = "failover.strategy";

    public static JobSettings From(IDictionary<string, string> config, string spillDirectory)
    {
        foreach (var key in config.Keys)
            if (!key.StartsWith("fault.", StringComparison.Ordinal) && key is not (CreditsKey or RetainedKey or SpillKey or FailoverKey or IncrementalKey or TolerableFailuresKey)
                && !RestartStrategyConfiguration.Keys.Contains(key))
                throw new JobBuildException($"Unknown configuration key '{key}'. Known keys: {CreditsKey}, {RetainedKey}, {SpillKey}, {FailoverKey}, {IncrementalKey}, {TolerableFailuresKey}, {string.Join(", ", RestartStrategyConfiguration.Keys)}, fault.<point>.");
        _ = RestartStrategyConfiguration.FromConfiguration(config); // a bad restart-strategy value fails the job at build
        var incremental = true;
        if (config.TryGetValue(IncrementalKey, out var inc) && !bool.TryParse(inc, out incremental))
            throw new JobBuildException($"Configuration '{IncrementalKey} = {inc}' must be 'true' or 'false'.");
        if (config.TryGetValue(FailoverKey, out var failover) && failover is not ("full" or "region"))
            throw new JobBuildException($"Configuration '{FailoverKey} = {failover}' must be 'full' or 'region'.");
        int? tolerable = config.ContainsKey(TolerableFailuresKey) ? Int(config, TolerableFailuresKey, 0, 0) : null;
        return new JobSettings(Int(config, CreditsKey, 8, 1), Int(config, RetainedKey, 4 * 1024 * 1024, 0), Long(config, SpillKey, 0), spillDirectory, incremental, tolerable);
    }

    /// <summary>Applies the settings that configure the environment's checkpointing (before the graph is built).</summary>
    public static void ApplyToCheckpointing(StreamEnvironment env)
    {
        var settings = From(env.Configuration, "");
        if (settings.TolerableCheckpointFailures is { } n) env.Checkpointing.TolerableCheckpointFailures = n;
    }

    private static long Long(IDictionary<string, string> config, string key, long fallback)
    {
        if (!config.TryGetValue(key, out var v)) return fallback;
        if (!long.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 0)
            throw new JobBuildException($"Configuration '{key} = {v}' must be a number of bytes ≥ 0.");
        return n;
    }

    private static int Int(IDictionary<string, string> config, string key, int fallback, int min)
    {
        if (!config.TryGetValue(key, out var v)) return fallback;
        if (!int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < min)
            throw new JobBuildException($"Configuration '{key} = {v}' must be an integer ≥ {min}.");
        return n;
    }
}
