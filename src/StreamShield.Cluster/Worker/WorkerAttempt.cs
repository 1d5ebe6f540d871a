using System.Collections.Concurrent;
using StreamShield.Cluster.Control;
using StreamShield.Cluster.DataPlane;
using StreamShield.Cluster.Jobs;
using StreamShield.Runtime.Checkpointing;
using StreamShield.Runtime.Execution;
using StreamShield.Runtime.Faults;
using StreamShield.Runtime.Network;
using StreamShield.Runtime.Tasks;

namespace StreamShield.Cluster.Worker;

/// <summary>
/// The part of one job attempt that runs in this worker: its subtasks, the channels between them (in memory when
/// both ends are here, over the data plane otherwise), and the relay of their reports to the coordinator. Like the
/// embedded <see cref="JobAttempt"/>, it ignores reports once it is over, so a cancelled attempt cannot disturb the next.
/// </summary>
internal sealed class WorkerAttempt : ITaskOwner
{
    private readonly DeployMessage _deploy;
    private readonly Action<ControlType, byte[]> _send;
    private readonly DataPlane.DataPlane _dataPlane;
    private readonly BackgroundExecutor _snapshots;
    private readonly ConcurrentDictionary<long, CheckpointTarget> _targets = new();
    private readonly List<StreamTask> _tasks = new();
    private readonly Dictionary<StreamTask, TaskState> _reported = new();
    private readonly string _spillDirectory;
    private readonly Action<string> _log;
    private int _terminated;
    private volatile bool _over;

    public WorkerAttempt(DeployMessage deploy, JobDefinition job, string workerId, string workDir, DataPlane.DataPlane dataPlane, Action<ControlType, byte[]> send, Action<string> log)
    {
        _deploy = deploy;
        _send = send;
        _dataPlane = dataPlane;
        _log = log;
        Attempt = deploy.Attempt;
        AttemptId = deploy.AttemptId;
        var env = job.Environment;
        Mode = env.Checkpointing.Mode;
        Clock = env.Clock;
        BufferTimeout = env.BufferTimeout;
        Storage = new FileSystemCheckpointStorage(deploy.CheckpointRoot);
        Faults = FaultInjector.FromConfiguration(env.Configuration, m => log($"fault injected: {m}"));
        _spillDirectory = Path.Combine(workDir, "spill", deploy.AttemptId);
        var settings = JobSettings.From(env.Configuration, _spillDirectory);
        if (env.Checkpointing.Interval is null) settings = settings with { RetainedOutputMemoryPerChannel = 0 };
        _snapshots = new BackgroundExecutor($"{deploy.AttemptId} snapshots", e => log($"snapshot writer error: {e.Message}"));

        RestoreAssignment? restore = null;
        if (deploy.RestoreLocation is { } location)
        {
            var loaded = CheckpointLoader.TryLoad(location, out var error) ?? throw new InvalidOperationException($"Cannot restore from '{location}': {error}");
            restore = new RestoreAssignment(loaded);
        }

        var execution = job.Execution;
        var placement = deploy.Assignments.ToDictionary(a => new SubtaskId(a.VertexId, a.Subtask), a => a.WorkerId);
        // An attempt may hold only some subtasks (one pipelined region under region failover): channels with
        // neither end in it belong to other attempts; a channel with one end outside it cannot exist (regions are
        // closed under channels), so that is an error.
        string? WorkerOf(Runtime.Graph.ExecutionVertex v) => placement.GetValueOrDefault(v.Id);
        var local = execution.Vertices.Where(v => WorkerOf(v) == workerId).ToList();
        var signals = local.ToDictionary(v => v, _ => new TaskSignal());
        var inputs = new Dictionary<Runtime.Graph.ExecutionChannel, LocalChannel>();
        var outputs = new Dictionary<Runtime.Graph.ExecutionChannel, OutputChannel>();
        Directory.CreateDirectory(_spillDirectory);
        for (var index = 0; index < execution.Channels.Count; index++)
        {
            var c = execution.Channels[index];
            var producer = WorkerOf(c.Producer);
            var consumer = WorkerOf(c.Consumer);
            if (producer is null && consumer is null) continue;
            if (producer is null || consumer is null)
                throw new InvalidOperationException($"The deployment of attempt {deploy.AttemptId} places only one end of channel {c.Name}.");
            var key = new ChannelKey(deploy.AttemptId, index, c.Name);
            if (producer == workerId && consumer == workerId)
            {
                var channel = new LocalChannel(c.Name, settings.CreditsPerChannel, signals[c.Consumer]);
                inputs[c] = channel;
                outputs[c] = channel;
            }
            else if (consumer == workerId)
            {
                var channel = new LocalChannel(c.Name, settings.CreditsPerChannel, signals[c.Consumer]);
                _dataPlane.RegisterInput(key, producer, channel);
                inputs[c] = channel;
            }
            else if (producer == workerId)
            {
                outputs[c] = _dataPlane.OpenOutput(key, consumer, settings.CreditsPerChannel);
            }
        }

        foreach (var ev in local)
        {
            var task = new StreamTask(TaskDeployment.Create(ev, c => inputs[c], c => outputs[c], signals[ev], restore, settings), this);
            _tasks.Add(task);
            _reported[task] = TaskState.Created;
        }
    }

    public string JobId => _deploy.JobId;
    public int Attempt { get; }
    public string AttemptId { get; }
    public CheckpointingMode Mode { get; }
    public TimeProvider Clock { get; }
    public TimeSpan BufferTimeout { get; }
    public ICheckpointStorage Storage { get; }
    public FaultInjector? Faults { get; }
    public IReadOnlyList<StreamTask> Tasks => _tasks;
    public bool IsOver => _over;

    /// <summary>Raised once all local subtasks have terminated (the attempt's resources are released).</summary>
    public event Action<WorkerAttempt>? Released;

    public void Start()
    {
        if (_tasks.Count == 0)
        {
            Release();
            return;
        }
        foreach (var t in _tasks) t.Start();
    }

    public void Cancel()
    {
        _over = true;
        foreach (var t in _tasks) t.Cancel();
    }

    /// <summary>The final checkpoint completed (or stop-with-savepoint): end the subtasks after the mail already posted.</summary>
    public void Terminate()
    {
        foreach (var t in _tasks) t.Terminate();
    }

    public void SetTarget(long checkpointId, CheckpointTarget target) => _targets[checkpointId] = target;

    public StreamTask? Find(int vertexId, int subtask) => _tasks.FirstOrDefault(t => t.Id.VertexId == vertexId && t.Id.Subtask == subtask);

    public void RunAsync(Action work) => _snapshots.Execute(work);

    public CheckpointTarget? TargetOf(long checkpointId)
    {
        // The coordinator announces a checkpoint's location to every worker before triggering its sources, but the
        // barrier can overtake the announcement (it travels another connection): wait for it briefly.
        var deadline = Environment.TickCount64 + 10_000;
        while (!_over)
        {
            if (_targets.TryGetValue(checkpointId, out var target)) return target;
            if (Environment.TickCount64 > deadline) return null;
            Thread.Sleep(1);
        }
        return null;
    }

    /// <summary>Reports subtasks that started running since the last call (failures and terminations are reported when they happen).</summary>
    public void ReportStateChanges()
    {
        if (_over) return;
        foreach (var t in _tasks)
        {
            var state = t.State;
            bool changed;
            lock (_reported)
            {
                changed = state == TaskState.Running && _reported[t] == TaskState.Created;
                if (changed) _reported[t] = state;
            }
            if (changed) SendState(t, state, null);
        }
    }

    public IEnumerable<SubtaskMetrics> Metrics() => _tasks.Select(t => new SubtaskMetrics(AttemptId, t.Id.VertexId, t.Id.Subtask, (byte)t.State,
        t.RecordsIn, t.RecordsOut, t.Deployment.OutputChannels.Sum(cs => cs.Sum(c => c.Backlog)), 0, t.Counters.BackpressuredMs, t.Counters.IdleMs, t.SinkRecords));

    private void SendState(StreamTask task, TaskState state, string? error, Exception? exception = null) =>
        _send(ControlType.TaskState, new TaskStateMessage(AttemptId, task.Id.VertexId, task.Id.Subtask, (byte)state, error,
            exception?.GetType().FullName, exception?.ToString()).Encode());

    public void OnTaskFailed(StreamTask task, Exception error)
    {
        if (_over) return;
        lock (_reported) _reported[task] = TaskState.Failed;
        _log($"job {_deploy.JobId} attempt {Attempt}: {task.Name} failed: {error}");
        SendState(task, TaskState.Failed, $"{error.GetType().Name}: {error.Message}", error);
    }

    public void OnCheckpointAcknowledged(StreamTask task, long checkpointId, TaskCheckpointAck ack)
    {
        if (_over) return;
        _send(ControlType.CheckpointAck, new SubtaskCheckpointMessage(AttemptId, task.Id.VertexId, task.Id.Subtask, checkpointId, null, AckCodec.Encode(checkpointId, ack)).Encode());
    }

    public void OnCheckpointDeclined(StreamTask task, long checkpointId, Exception reason)
    {
        if (_over) return;
        _send(ControlType.CheckpointDecline, new SubtaskCheckpointMessage(AttemptId, task.Id.VertexId, task.Id.Subtask, checkpointId, $"{task.Name}: {reason.Message}").Encode());
    }

    public void OnDataFinished(StreamTask task)
    {
        if (_over) return;
        lock (_reported) _reported[task] = TaskState.DataFinished;
        SendState(task, TaskState.DataFinished, null);
    }

    public void OnTerminated(StreamTask task)
    {
        if (!_over && task.State == TaskState.Terminated) SendState(task, TaskState.Terminated, null);
        if (Interlocked.Increment(ref _terminated) == _tasks.Count) Release();
    }

    private void Release()
    {
        _over = true;
        _dataPlane.ReleaseAttempt(AttemptId);
        _snapshots.Dispose();
        try { if (Directory.Exists(_spillDirectory)) Directory.Delete(_spillDirectory, true); } catch (IOException) { }
        // Final counters first, so the job's totals include everything this attempt did here.
        _send(ControlType.Heartbeat, new HeartbeatMessage(Environment.WorkingSet, -1, Metrics().ToList()).Encode());
        _send(ControlType.AttemptReleased, new SimpleMessage(AttemptId).Encode());
        Released?.Invoke(this);
    }
}
