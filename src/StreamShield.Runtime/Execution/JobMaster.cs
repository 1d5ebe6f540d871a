using StreamShield.Execution;
using StreamShield.Runtime.Checkpointing;
using StreamShield.Runtime.Faults;
using StreamShield.Runtime.Graph;

namespace StreamShield.Runtime.Execution;

/// <summary>
/// Runs one job: deploys attempts of its graph, and on a subtask failure cancels the attempt (full restart), asks
/// the restart strategy, and redeploys from the latest completed checkpoint. A bounded job ends after its final
/// checkpoint committed all output. Every failure, restart and checkpoint goes into the timeline.
/// </summary>
internal sealed class JobMaster : IDisposable
{
    private readonly JobGraph _graph;
    private readonly RestartBackoff _backoff;
    private readonly JobSettings _settings;
    private readonly RestoreAssignment? _initialRestore;
    private readonly TaskCompletionSource<JobExecutionResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _lock = new();
    private readonly string? _temporaryRoot;
    private readonly DateTimeOffset _start;
    private JobAttempt? _attempt;
    private volatile JobStatus _status = JobStatus.Created;
    private Exception? _failure;
    private bool _cancelRequested;
    private long _recordsInPrevious;
    private long _sinkRecordsPrevious;
    private int _restarts;

    public JobMaster(StreamEnvironment environment, JobGraph graph, Action<JobEvent>? listener = null)
    {
        Environment = environment;
        _graph = graph;
        Execution = new ExecutionGraph(graph);
        Timeline = new JobTimeline(environment.Clock, listener);
        _start = environment.Clock.GetUtcNow();
        var checkpointing = environment.Checkpointing;
        var root = checkpointing.Directory;
        if (root is null)
        {
            _temporaryRoot = root = Path.Combine(Path.GetTempPath(), $"streamshield-{Guid.NewGuid():N}");
        }
        // Validate everything the user configured before creating any directory, so a rejected job leaves nothing behind.
        var spill = Path.Combine(Path.GetTempPath(), $"streamshield-spill-{Guid.NewGuid():N}");
        _settings = JobSettings.From(environment.Configuration, spill);
        // Retained output is dropped when a checkpoint completes; without periodic checkpoints it would only grow.
        if (checkpointing.Interval is null) _settings = _settings with { RetainedOutputMemoryPerChannel = 0 };
        Faults = FaultInjector.FromConfiguration(environment.Configuration, m => Timeline.Add(JobEventKind.FaultInjected, m));
        if (environment.RestorePath is { } restorePath)
        {
            var loaded = CheckpointLoader.LoadLatest(restorePath, w => Timeline.Add(JobEventKind.CheckpointSkipped, w))
                ?? throw new JobBuildException($"Cannot restore: no complete checkpoint found under '{restorePath}'.");
            _initialRestore = new RestoreAssignment(loaded);
            ValidateRestore(_initialRestore);
        }

        Directory.CreateDirectory(spill);
        ICheckpointStorage storage = new FileSystemCheckpointStorage(root);
        if (Faults is not null) storage = new FaultInjectingStorage(storage, Faults, () => _attempt?.Attempt ?? 0);
        Storage = storage;
        var existing = storage.ListCheckpoints().Select(d => long.TryParse(Path.GetFileName(d)[4..], out var id) ? id : 0).DefaultIfEmpty(0).Max();
        var firstId = Math.Max(existing, _initialRestore?.CheckpointId ?? 0) + 1;
        _backoff = RestartStrategyConfiguration.Resolve(environment).CreateBackoff();
        Snapshots = new BackgroundExecutor($"{graph.JobName} snapshots", e => Timeline.Add(JobEventKind.CheckpointFailed, $"Snapshot writer error: {e.Message}"));
        Coordinator = new CheckpointCoordinator(checkpointing, storage, Timeline, graph.JobName, environment.Clock, firstId, e => FailFromCoordinator(e));
        Coordinator.FinalCheckpointDone += OnFinalCheckpointDone;
    }

    public StreamEnvironment Environment { get; }
    public JobTimeline Timeline { get; }
    public ICheckpointStorage Storage { get; }
    public FaultInjector? Faults { get; }
    public CheckpointCoordinator Coordinator { get; }
    public BackgroundExecutor Snapshots { get; }
    public JobStatus Status => _status;
    public Task<JobExecutionResult> Completion => _completion.Task;
    public string JobName => _graph.JobName;
    public JobGraph Graph => _graph;
    public ExecutionGraph Execution { get; }
    public JobAttempt? CurrentAttempt => _attempt;

    private void ValidateRestore(RestoreAssignment restore)
    {
        foreach (var v in _graph.Vertices)
            foreach (var o in v.Operators) restore.CheckMaxParallelism(o.Uid, o.Name, v.MaxParallelism);
        var uids = _graph.Vertices.SelectMany(v => v.Operators).Select(o => o.Uid).ToHashSet(StringComparer.Ordinal);
        var unknown = restore.OperatorUids.Where(u => !uids.Contains(u)).ToList();
        if (unknown.Count > 0)
            Timeline.Add(JobEventKind.Restored, $"Warning: state of operators {string.Join(", ", unknown.Select(u => $"'{u}'"))} in '{restore.Location}' matches no operator of this job and is not restored. Set Uid(...) on stateful operators to keep state across job changes.");
    }

    public void Start()
    {
        Timeline.Add(JobEventKind.Started, $"Job '{JobName}' started: {_graph.Vertices.Count} vertices, {_graph.TotalSubtasks} subtasks");
        Deploy(0, _initialRestore);
    }

    private void Deploy(int attemptNumber, RestoreAssignment? restore)
    {
        lock (_lock)
        {
            if (_cancelRequested) return;
            if (restore is not null)
                Timeline.Add(JobEventKind.Restored, $"Attempt {attemptNumber} restores from checkpoint {restore.CheckpointId} at '{restore.Location}'");
            JobAttempt attempt;
            try
            {
                attempt = new JobAttempt(this, attemptNumber, restore, _settings);
            }
            catch (Exception e)
            {
                Finish(JobStatus.Failed, e);
                return;
            }
            _attempt = attempt;
            _status = JobStatus.Running;
            Coordinator.Attach(attempt.Tasks);
            attempt.Start();
        }
    }

    internal void OnAttemptFailed(JobAttempt attempt, Tasks.StreamTask task, Exception error)
    {
        lock (_lock)
        {
            if (attempt != _attempt || attempt.IsOver || _status is not JobStatus.Running) return;
            Timeline.Add(JobEventKind.TaskFailed, $"{task.Name} failed: {error.GetType().Name}: {error.Message}", detail: error.ToString());
            _failure = error;
            _status = JobStatus.Restarting;
            attempt.CancelAll();
        }
        Coordinator.Detach($"attempt {attempt.Attempt} failed");
        new Thread(() => Restart(attempt, error)) { IsBackground = true, Name = $"{JobName} restart" }.Start();
    }

    private void FailFromCoordinator(Exception error)
    {
        var attempt = _attempt;
        if (attempt is null) return;
        var source = attempt.Tasks[0];
        OnAttemptFailed(attempt, source, error);
    }

    private void Restart(JobAttempt failed, Exception error)
    {
        if (!failed.WaitTerminated(TimeSpan.FromSeconds(30)))
            Timeline.Add(JobEventKind.TaskFailed, "Some subtasks of the failed attempt did not stop within 30 s; restarting anyway.");
        _recordsInPrevious += failed.RecordsIn;
        _sinkRecordsPrevious += failed.SinkRecords;
        var delay = _backoff.OnFailure(Environment.Clock.GetUtcNow());
        if (delay is null || _cancelRequested)
        {
            Timeline.Add(JobEventKind.Failed, $"Job failed; restart strategy gave up: {error.Message}");
            Finish(_cancelRequested ? JobStatus.Canceled : JobStatus.Failed, _cancelRequested ? null : error);
            return;
        }
        Interlocked.Increment(ref _restarts);
        Timeline.Add(JobEventKind.Restarting, $"Restarting (restart {_restarts}) in {delay.Value.TotalMilliseconds:0} ms");
        if (delay.Value > TimeSpan.Zero) Thread.Sleep(delay.Value);
        RestoreAssignment? restore;
        while (true)
        {
            try
            {
                var latest = CheckpointLoader.LoadForFailover(Storage, w => Timeline.Add(JobEventKind.CheckpointSkipped, w));
                restore = latest is not null ? new RestoreAssignment(latest) : _initialRestore;
                break;
            }
            catch (UnrecoverableCheckpointException e)
            {
                Timeline.Add(JobEventKind.Failed, e.Message);
                Finish(JobStatus.Failed, e);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Serialization.CorruptDataException)
            {
                // Storage trouble (unreachable, read-only, a damaged commit record): retry under the restart strategy
                // rather than guess at an older state, which could repeat committed output.
                var retry = _cancelRequested ? null : _backoff.OnFailure(Environment.Clock.GetUtcNow());
                if (retry is null)
                {
                    Timeline.Add(JobEventKind.Failed, $"Job failed; could not load the checkpoint to restore: {e.Message}");
                    Finish(_cancelRequested ? JobStatus.Canceled : JobStatus.Failed, _cancelRequested ? null : e);
                    return;
                }
                Timeline.Add(JobEventKind.CheckpointSkipped, $"Could not load the checkpoint to restore: {e.Message}; retrying in {retry.Value.TotalMilliseconds:0} ms");
                if (retry.Value > TimeSpan.Zero) Thread.Sleep(retry.Value);
            }
        }
        Deploy(failed.Attempt + 1, restore);
    }

    internal void OnAllDataFinished(JobAttempt attempt)
    {
        if (attempt != _attempt) return;
        Coordinator.TriggerFinal();
    }

    private void OnFinalCheckpointDone()
    {
        var attempt = _attempt;
        if (attempt is null) return;
        foreach (var t in attempt.Tasks) t.Terminate();
    }

    internal void OnAttemptTerminated(JobAttempt attempt)
    {
        lock (_lock)
        {
            if (attempt != _attempt || _status is not JobStatus.Running) return;
            attempt.End();
            if (_cancelRequested) return;
        }
        if (Coordinator.FinalCheckpointCompleted)
        {
            Timeline.Add(JobEventKind.Finished, $"Job '{JobName}' finished");
            Finish(JobStatus.Finished, null);
        }
    }

    public void Cancel()
    {
        JobAttempt? attempt;
        lock (_lock)
        {
            if (_status is JobStatus.Finished or JobStatus.Failed or JobStatus.Canceled) return;
            _cancelRequested = true;
            attempt = _attempt;
            attempt?.CancelAll();
        }
        Coordinator.Detach("job cancelled");
        new Thread(() =>
        {
            attempt?.WaitTerminated(TimeSpan.FromSeconds(30));
            Timeline.Add(JobEventKind.Canceled, $"Job '{JobName}' cancelled");
            Finish(JobStatus.Canceled, null);
        })
        { IsBackground = true, Name = $"{JobName} cancel" }.Start();
    }

    public JobMetrics Metrics()
    {
        var a = _attempt;
        return new JobMetrics(
            _recordsInPrevious + (a?.RecordsIn ?? 0),
            _sinkRecordsPrevious + (a?.SinkRecords ?? 0),
            Coordinator.Completed, Coordinator.Failed, _restarts,
            Coordinator.LastCompletedId, Coordinator.LastDuration, Coordinator.LastSize);
    }

    private void Finish(JobStatus status, Exception? failure)
    {
        lock (_lock)
        {
            if (_completion.Task.IsCompleted) return;
            _status = status;
            _failure = failure ?? (status == JobStatus.Failed ? _failure : null);
        }
        if (status == JobStatus.Failed && failure is not null && Timeline.Count(JobEventKind.Failed) == 0)
            Timeline.Add(JobEventKind.Failed, $"Job failed: {failure.Message}");
        Coordinator.Detach($"the job ended ({status})"); // a checkpoint or savepoint still pending can no longer complete
        Coordinator.Dispose();
        Snapshots.Dispose();
        var result = new JobExecutionResult(JobName, status, Environment.Clock.GetUtcNow() - _start, Metrics(), Timeline.Snapshot(), _failure);
        Cleanup();
        _completion.TrySetResult(result);
    }

    private void Cleanup()
    {
        try { if (Directory.Exists(_settings.SpillDirectory)) Directory.Delete(_settings.SpillDirectory, true); } catch (IOException) { }
        if (_temporaryRoot is not null)
        {
            try { if (Directory.Exists(_temporaryRoot)) Directory.Delete(_temporaryRoot, true); } catch (IOException) { }
        }
    }

    public void Dispose()
    {
        Cancel();
    }
}
