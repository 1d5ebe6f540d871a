using StreamShield.Cluster.Control;
using StreamShield.Cluster.Jobs;
using StreamShield.Cluster.Model;
using StreamShield.Execution;
using StreamShield.Runtime.Checkpointing;
using StreamShield.Runtime.Execution;
using StreamShield.Runtime.Tasks;

namespace StreamShield.Cluster.Coordinator;

/// <summary>
/// One job on the cluster, the coordinator's counterpart of the embedded job master: deploys attempts onto worker
/// slots, coordinates checkpoints through the same <see cref="CheckpointCoordinator"/>, and on a failure (a subtask
/// failed, a worker died or hung) cancels the failed attempt everywhere, asks the restart strategy, and redeploys it
/// on the live workers from the latest completed checkpoint. Under full restart one attempt holds every subtask;
/// under region failover (`failover.strategy = region`) each pipelined region is its own attempt, so a failure
/// restarts only the regions it touched while the others keep running. A bounded job ends after its final checkpoint.
/// </summary>
internal sealed class ClusterJob : IDisposable
{
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(15);

    private readonly ClusterCoordinator _cluster;
    private readonly RestartBackoff _backoff;
    private readonly object _lock = new();
    private readonly List<ExceptionInfo> _exceptions = new();
    private readonly List<CheckpointInfo> _checkpoints = new();
    private readonly Dictionary<long, DateTimeOffset> _triggered = new();
    private readonly HashSet<WorkerSession> _everUsed = new();
    private readonly string? _initialRestore;
    // Replaced, never mutated, under _lock: readers need no lock (the checkpoint coordinator calls in under its own).
    private volatile ClusterAttempt[] _live = [];
    private readonly List<(IReadOnlyList<Runtime.Graph.ExecutionVertex> Group, string? Restore)> _pending = new();
    private readonly List<ClusterAttempt> _released = new();
    private int _nextAttempt;
    private int _restarts;
    private long _recordsInPrevious;
    private long _recordsOutPrevious;
    private long _waitingSince = -1;
    private bool _cancelRequested;
    private bool _stopRequested;
    private string? _failure;
    private Action? _onEnded;

    public ClusterJob(ClusterCoordinator cluster, string id, ArtifactInfo artifact, string entryClass, SubmitRequest request, JobDefinition definition, Action onEnded)
    {
        _cluster = cluster;
        _onEnded = onEnded;
        Id = id;
        Artifact = artifact;
        EntryClass = entryClass;
        Request = request;
        Definition = definition;
        Name = definition.Graph.JobName;
        Timeline = new JobTimeline(TimeProvider.System, null);
        var env = definition.Environment;
        CheckpointRoot = env.Checkpointing.Directory!;
        Storage = new FileSystemCheckpointStorage(CheckpointRoot);
        if (request.FromSavepoint is { } savepoint)
        {
            var loaded = CheckpointLoader.LoadLatest(savepoint, w => Timeline.Add(JobEventKind.CheckpointSkipped, w))
                ?? throw new ClusterRequestException($"Cannot restore: no complete checkpoint found under '{savepoint}'.");
            _initialRestore = loaded.Location;
        }
        RegionFailover = env.Configuration.TryGetValue(JobSettings.FailoverKey, out var strategy) && strategy == "region";
        var groups = RegionFailover ? definition.Execution.PipelinedRegions : [definition.Execution.Vertices];
        foreach (var g in groups) _pending.Add((g, _initialRestore));
        var existing = Storage.ListCheckpoints().Select(d => long.TryParse(Path.GetFileName(d)[4..], out var n) ? n : 0).DefaultIfEmpty(0).Max();
        _backoff = RestartStrategyConfiguration.Resolve(env).CreateBackoff();
        Checkpoints = new CheckpointCoordinator(env.Checkpointing, Storage, Timeline, Name, TimeProvider.System, existing + 1, e => FailCurrent(null, e.Message));
        Checkpoints.Triggering = OnCheckpointTriggering;
        Checkpoints.Ended = OnCheckpointEnded;
        Checkpoints.FinalCheckpointDone += () => { foreach (var a in Live()) SendToAttempt(a, ControlType.TerminateAttempt, new SimpleMessage(a.AttemptId).Encode()); };
        StartTime = DateTimeOffset.UtcNow;
    }

    public string Id { get; }
    public string Name { get; }
    public ArtifactInfo Artifact { get; }
    public string EntryClass { get; }
    public SubmitRequest Request { get; }
    public JobDefinition Definition { get; }
    public JobTimeline Timeline { get; }
    public string CheckpointRoot { get; }
    public ICheckpointStorage Storage { get; }
    public CheckpointCoordinator Checkpoints { get; }
    public DateTimeOffset StartTime { get; }
    public DateTimeOffset? EndTime { get; private set; }
    public JobStatus Status { get; private set; } = JobStatus.Created;
    public bool RegionFailover { get; }

    /// <summary>The attempts currently deployed (one, or one per region under region failover).</summary>
    public IReadOnlyList<ClusterAttempt> Live() => _live;

    /// <summary>The live attempt with this id, if any.</summary>
    public ClusterAttempt? LiveAttempt(string attemptId) => Array.Find(_live, a => a.AttemptId == attemptId);

    private RemoteSubtask? FindSubtask(int vertexId, int subtask)
    {
        foreach (var a in _live)
            if (a.Find(vertexId, subtask) is { } s) return s;
        return null;
    }
    public bool IsTerminal => Status is JobStatus.Finished or JobStatus.Failed or JobStatus.Canceled;
    public int Restarts => _restarts;

    /// <summary>Deploys the waiting groups if enough slots are free; called by the coordinator's scheduler loop.</summary>
    public void TryDeploy(IReadOnlyCollection<WorkerSession> workers, TimeSpan slotTimeout)
    {
        lock (_lock)
        {
            if (_pending.Count == 0 || IsTerminal || _cancelRequested) return;
            // Slot sharing: a group needs one slot per distinct subtask index it contains.
            var indexes = _pending.Select(p => p.Group.Select(v => v.Subtask).Distinct().Order().ToList()).ToList();
            var required = indexes.Sum(i => i.Count);
            var placement = SlotScheduler.Place(required, workers);
            if (placement is null)
            {
                if (_waitingSince < 0)
                {
                    _waitingSince = Environment.TickCount64;
                    Timeline.Add(JobEventKind.Restarting, $"Waiting for {required} free slots (the cluster has {workers.Where(w => w.IsAlive).Sum(w => w.FreeSlots)} free)");
                }
                else if (Environment.TickCount64 - _waitingSince > slotTimeout.TotalMilliseconds)
                {
                    FinishLocked(JobStatus.Failed, $"No {required} free slots became available within {slotTimeout.TotalSeconds:0} s: start more workers or lower the parallelism.");
                }
                return;
            }
            _waitingSince = -1;
            var next = 0;
            for (var k = 0; k < _pending.Count; k++)
            {
                var (group, restore) = _pending[k];
                var slots = indexes[k].ToDictionary(i => i, _ => placement[next++]);
                var attempt = new ClusterAttempt(_nextAttempt++, group, slots);
                _live = [.. _live, attempt];
                foreach (var w in attempt.Workers) _everUsed.Add(w);
                if (restore is not null) Timeline.Add(JobEventKind.Restored, $"Attempt {attempt.Attempt} restores from '{restore}'");
                Timeline.Add(JobEventKind.Started, $"Attempt {attempt.Attempt} deployed on {string.Join(", ", attempt.Workers.Select(w => w.Id))}: {attempt.Subtasks.Count} subtasks");
                var deploy = new DeployMessage(Id, attempt.AttemptId, attempt.Attempt, Artifact.Id, EntryClass, Request.Args ?? [], Request.Parallelism, Request.CheckpointIntervalMs,
                    Request.Configuration ?? new Dictionary<string, string>(),
                    CheckpointRoot, restore, Definition.Fingerprint,
                    attempt.Subtasks.Select(s => new SubtaskAssignment(s.Id.VertexId, s.Id.Subtask, s.Worker.Id)).ToList(),
                    attempt.Workers.Select(w => new PeerAddress(w.Id, w.Host, w.DataPort, w.DataKey)).ToList()).Encode();
                foreach (var w in attempt.Workers) w.Send(ControlType.Deploy, deploy);
            }
            _pending.Clear();
            Status = JobStatus.Running;
            Checkpoints.Attach(_live.SelectMany(a => a.Subtasks).ToList());
        }
    }

    private void OnCheckpointTriggering(long id, CheckpointTarget target)
    {
        lock (_triggered) _triggered[id] = DateTimeOffset.UtcNow;
        foreach (var a in _live)
            SendToAttempt(a, ControlType.CheckpointLocation, new CheckpointLocationMessage(a.AttemptId, id, target.Location, target.BaseCheckpointId ?? -1).Encode());
    }

    private void OnCheckpointEnded(CheckpointOutcome o)
    {
        DateTimeOffset trigger;
        lock (_triggered) trigger = _triggered.Remove(o.Id, out var t) ? t : DateTimeOffset.UtcNow - o.Duration;
        lock (_checkpoints)
        {
            _checkpoints.Add(new CheckpointInfo(o.Id, o.Succeeded ? "completed" : "failed", o.IsSavepoint, trigger, o.Duration.TotalMilliseconds, o.Size, o.Location, o.Failure));
            if (_checkpoints.Count > 200) _checkpoints.RemoveAt(0);
        }
    }

    private static void SendToAttempt(ClusterAttempt a, ControlType type, byte[] payload)
    {
        foreach (var w in a.Workers) w.Send(type, payload);
    }

    public void OnTaskState(WorkerSession worker, TaskStateMessage m)
    {
        var attempt = LiveAttempt(m.AttemptId);
        if (attempt is null || attempt.Over) return;
        var state = (TaskState)m.State;
        var subtask = attempt.Find(m.VertexId, m.Subtask);
        if (subtask is not null && !subtask.Advance(state)) return; // a stale report overtaken by a newer one
        switch (state)
        {
            case TaskState.Failed:
                Fail(attempt, subtask?.Name, m.Error ?? "failed", worker, m.ErrorType, m.ErrorDetail);
                break;
            case TaskState.DataFinished when AllLive(TaskState.DataFinished, TaskState.Terminated):
                Checkpoints.TriggerFinal();
                break;
            case TaskState.Terminated when AllLive(TaskState.Terminated):
                List<ClusterAttempt> ended;
                lock (_lock)
                {
                    if (_live.Any(a => a.Over)) return;
                    ended = _live.ToList();
                    foreach (var a in ended) a.Over = true;
                }
                new Thread(() =>
                {
                    foreach (var a in ended) a.AllReleased.Wait(ReleaseTimeout);
                    lock (_lock)
                    {
                        if (_stopRequested || Checkpoints.FinalCheckpointCompleted)
                        {
                            Timeline.Add(JobEventKind.Finished, $"Job '{Name}' finished");
                            FinishLocked(JobStatus.Finished, null);
                        }
                    }
                })
                { IsBackground = true, Name = $"{Id} finish" }.Start();
                break;
        }
    }

    /// <summary>True when nothing waits for deployment and every live subtask is in one of <paramref name="states"/>.</summary>
    private bool AllLive(params TaskState[] states)
    {
        lock (_lock) return _pending.Count == 0 && _live.All(a => a.AllIn(states));
    }

    public void OnCheckpointAck(SubtaskCheckpointMessage m)
    {
        var attempt = LiveAttempt(m.AttemptId);
        if (attempt is null || attempt.Over || attempt.Find(m.VertexId, m.Subtask) is not { } s) return;
        Checkpoints.Acknowledge(s, m.CheckpointId, AckCodec.Decode(m.Payload ?? []));
    }

    public void OnCheckpointDecline(SubtaskCheckpointMessage m)
    {
        var attempt = LiveAttempt(m.AttemptId);
        if (attempt is null || attempt.Over) return;
        Checkpoints.Decline(m.CheckpointId, new Exception(m.Text ?? "declined"));
    }

    public void OnHeartbeatMetrics(SubtaskMetrics m)
    {
        // An ended attempt still takes the final counters its workers send before releasing it, until it is accounted.
        var attempt = LiveAttempt(m.AttemptId) ?? EndedUnaccounted(m.AttemptId);
        if (attempt is null || attempt.Find(m.VertexId, m.Subtask) is not { } s) return;
        s.PreviousMetrics = s.LastMetrics;
        s.PreviousMetricsAt = s.LastMetricsAt;
        s.LastMetrics = m;
        s.LastMetricsAt = Environment.TickCount64;
        if ((TaskState)m.State == TaskState.Running) s.Advance(TaskState.Running);
    }

    public void OnAttemptReleased(WorkerSession worker, string attemptId)
    {
        lock (_lock)
        {
            foreach (var a in _live) if (a.AttemptId == attemptId) a.Release(worker);
            foreach (var a in _released) if (a.AttemptId == attemptId) a.Release(worker);
        }
    }

    private ClusterAttempt? EndedUnaccounted(string attemptId)
    {
        lock (_lock) return _released.Find(a => a.AttemptId == attemptId && a.Accounted == 0);
    }

    /// <summary>True if <paramref name="attemptId"/> is one of this job's live or recently ended attempts.</summary>
    public bool Owns(string attemptId)
    {
        lock (_lock) return _live.Any(a => a.AttemptId == attemptId) || _released.Any(a => a.AttemptId == attemptId);
    }

    /// <summary>A worker died or hung: every live attempt running on it fails over (the others keep running under region failover).</summary>
    public void OnWorkerLost(WorkerSession worker, string reason)
    {
        List<ClusterAttempt> hit;
        lock (_lock)
        {
            foreach (var a in _released) a.Release(worker);
            hit = _live.Where(a => a.Uses(worker)).ToList();
        }
        foreach (var a in hit)
        {
            a.Release(worker);
            Fail(a, null, $"worker {worker.Id} (pid {worker.Pid}) lost: {reason}", worker);
        }
    }

    /// <summary>An error of the coordinator's own work for this job (not of a subtask or worker): every live attempt fails over.</summary>
    public void FailFromCoordinator(Exception error) => FailCurrent(null, $"{error.GetType().Name}: {error.Message}");

    private void FailCurrent(string? subtask, string error)
    {
        // A job-wide failure (e.g. too many failed checkpoints): every live attempt restarts.
        foreach (var a in Live()) Fail(a, subtask, error);
    }

    private void Fail(ClusterAttempt attempt, string? subtask, string error, WorkerSession? worker = null, string? errorType = null, string? errorDetail = null)
    {
        lock (_lock)
        {
            if (attempt.Over || IsTerminal || !_live.Contains(attempt)) return;
            _live = _live.Where(a => a != attempt).ToArray();
            attempt.Over = true;
            _released.Add(attempt);
            if (_released.Count > 64) _released.RemoveAt(0);
            Status = JobStatus.Restarting;
            var scope = RegionFailover ? $" (region of {attempt.Subtasks.Count} subtasks; other regions keep running)" : "";
            var summary = (subtask is null ? $"Attempt {attempt.Attempt} failed: {error}" : $"{subtask} failed: {error}") + scope;
            Timeline.Add(JobEventKind.TaskFailed, summary, detail: errorDetail);
            _cluster.Log($"job {Id}: {summary}{(worker is null ? "" : $" (worker {worker.Id})")}{(errorDetail is null ? "" : Environment.NewLine + errorDetail)}");
            _failure = error;
            lock (_exceptions)
            {
                _exceptions.Add(new ExceptionInfo(DateTimeOffset.UtcNow, subtask, worker?.Id, error, errorType, errorDetail));
                if (_exceptions.Count > 100) _exceptions.RemoveAt(0);
            }
        }
        Checkpoints.Detach($"attempt {attempt.Attempt} failed");
        SendToAttempt(attempt, ControlType.CancelAttempt, new SimpleMessage(attempt.AttemptId).Encode());
        new Thread(() => Restart(attempt, error)) { IsBackground = true, Name = $"{Id} restart" }.Start();
    }

    private void Restart(ClusterAttempt failed, string error)
    {
        if (!failed.AllReleased.Wait(ReleaseTimeout))
            Timeline.Add(JobEventKind.TaskFailed, $"Some workers did not release attempt {failed.Attempt} within {ReleaseTimeout.TotalSeconds:0} s; restarting anyway.");
        Account(failed);
        var delay = _backoff.OnFailure(DateTimeOffset.UtcNow);
        lock (_lock)
        {
            if (_cancelRequested)
            {
                Timeline.Add(JobEventKind.Canceled, $"Job '{Name}' cancelled");
                FinishLocked(JobStatus.Canceled, null);
                return;
            }
            if (delay is null)
            {
                Timeline.Add(JobEventKind.Failed, $"Job failed; restart strategy gave up: {error}");
                FinishLocked(JobStatus.Failed, error);
                return;
            }
            _restarts++;
            Timeline.Add(JobEventKind.Restarting, $"Restarting (restart {_restarts}) in {delay.Value.TotalMilliseconds:0} ms");
        }
        if (delay.Value > TimeSpan.Zero) Thread.Sleep(delay.Value);
        string? restore;
        while (true)
        {
            try
            {
                restore = CheckpointLoader.LoadForFailover(Storage, w => Timeline.Add(JobEventKind.CheckpointSkipped, w))?.Location ?? _initialRestore;
                break;
            }
            catch (UnrecoverableCheckpointException e)
            {
                lock (_lock)
                {
                    Timeline.Add(JobEventKind.Failed, e.Message);
                    FinishLocked(JobStatus.Failed, e.Message);
                }
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Serialization.CorruptDataException)
            {
                // Storage trouble: retry under the restart strategy rather than guess at an older state (which could repeat committed output).
                var retry = _backoff.OnFailure(DateTimeOffset.UtcNow);
                lock (_lock)
                {
                    if (IsTerminal) return;
                    if (retry is null || _cancelRequested)
                    {
                        Timeline.Add(JobEventKind.Failed, $"Job failed; could not load the checkpoint to restore: {e.Message}");
                        FinishLocked(_cancelRequested ? JobStatus.Canceled : JobStatus.Failed, _cancelRequested ? null : e.Message);
                        return;
                    }
                }
                Timeline.Add(JobEventKind.CheckpointSkipped, $"Could not load the checkpoint to restore: {e.Message}; retrying in {retry.Value.TotalMilliseconds:0} ms");
                if (retry.Value > TimeSpan.Zero) Thread.Sleep(retry.Value);
            }
        }
        lock (_lock)
        {
            if (IsTerminal) return;
            _pending.Add((failed.Group, restore)); // the scheduler loop deploys it as soon as slots are free
        }
        _cluster.Schedule();
    }

    public bool Cancel()
    {
        List<ClusterAttempt> attempts;
        lock (_lock)
        {
            if (IsTerminal || _cancelRequested) return false;
            _cancelRequested = true;
            attempts = _live.ToList();
            _live = [];
            _pending.Clear();
            foreach (var a in attempts)
            {
                a.Over = true;
                _released.Add(a);
            }
            if (attempts.Count == 0 && Status != JobStatus.Restarting)
            {
                Timeline.Add(JobEventKind.Canceled, $"Job '{Name}' cancelled");
                FinishLocked(JobStatus.Canceled, null);
                return true;
            }
        }
        Checkpoints.Detach("job cancelled");
        foreach (var a in attempts) SendToAttempt(a, ControlType.CancelAttempt, new SimpleMessage(a.AttemptId).Encode());
        new Thread(() =>
        {
            foreach (var a in attempts)
            {
                a.AllReleased.Wait(ReleaseTimeout);
                Account(a); // after the workers' final counters, so a cancelled job keeps its totals
            }
            lock (_lock)
            {
                Timeline.Add(JobEventKind.Canceled, $"Job '{Name}' cancelled");
                FinishLocked(JobStatus.Canceled, null);
            }
        })
        { IsBackground = true, Name = $"{Id} cancel" }.Start();
        return true;
    }

    public async Task<string> TriggerSavepoint(string directory)
    {
        if (Status != JobStatus.Running) throw new ClusterRequestException($"Job {Id} is {Status}; a savepoint needs a running job.", 409);
        try
        {
            return await Checkpoints.TriggerSavepoint(directory).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new ClusterRequestException(e.Message, 409);
        }
    }

    /// <summary>Stop with savepoint: the savepoint completes (sinks commit on its notification), then the subtasks terminate and the job finishes.</summary>
    public async Task<string> StopWithSavepoint(string directory)
    {
        var location = await TriggerSavepoint(directory).ConfigureAwait(false);
        lock (_lock) _stopRequested = true;
        // Termination is mail posted after the completion notice, so every subtask commits before it stops.
        foreach (var a in Live()) SendToAttempt(a, ControlType.TerminateAttempt, new SimpleMessage(a.AttemptId).Encode());
        return location;
    }

    private void FinishLocked(JobStatus status, string? failure)
    {
        if (IsTerminal) return;
        Status = status;
        EndTime = DateTimeOffset.UtcNow;
        if (failure is not null) _failure = failure;
        foreach (var a in _live) Account(a);
        Checkpoints.Detach($"the job ended ({status})");
        Checkpoints.Dispose();
        var ended = new SimpleMessage(Id).Encode();
        foreach (var w in _everUsed) w.Send(ControlType.JobEnded, ended);
        var onEnded = Interlocked.Exchange(ref _onEnded, null);
        onEnded?.Invoke();
    }

    private static long RecordsIn(ClusterAttempt a) => a.Subtasks.Where(s => s.IsSource).Sum(s => s.LastMetrics?.RecordsIn ?? 0);
    private static long RecordsOut(ClusterAttempt a) => a.Subtasks.Sum(s => s.LastMetrics?.SinkRecords ?? 0);

    /// <summary>Adds an ended attempt's counters to the job's totals, once.</summary>
    private void Account(ClusterAttempt a)
    {
        if (Interlocked.Exchange(ref a.Accounted, 1) != 0) return;
        Interlocked.Add(ref _recordsInPrevious, RecordsIn(a));
        Interlocked.Add(ref _recordsOutPrevious, RecordsOut(a));
    }

    public long TotalRecordsIn => Interlocked.Read(ref _recordsInPrevious) + Unaccounted().Sum(RecordsIn);
    public long TotalRecordsOut => Interlocked.Read(ref _recordsOutPrevious) + Unaccounted().Sum(RecordsOut);

    /// <summary>Live attempts and ended ones whose counters are not yet in the totals (a cancelled attempt until its workers released it).</summary>
    private List<ClusterAttempt> Unaccounted()
    {
        lock (_lock) return [.. _live.Where(a => a.Accounted == 0), .. _released.Where(a => a.Accounted == 0 && !_live.Contains(a))];
    }

    public JobSummary Summary() => new(Id, Name, Status.ToString(), StartTime, ((EndTime ?? DateTimeOffset.UtcNow) - StartTime).TotalSeconds,
        Definition.RequiredSlots, _restarts, Checkpoints.Completed, TotalRecordsIn, TotalRecordsOut);

    public JobDetail Detail()
    {
        var vertices = Definition.Graph.Vertices.Select(v => new VertexInfo(v.Id, v.Name, v.Parallelism,
            Enumerable.Range(0, v.Parallelism).Select(i =>
            {
                var s = FindSubtask(v.Id, i);
                var m = s?.LastMetrics;
                double busy = 0, backpressured = 0;
                if (s?.PreviousMetrics is { } p && m is { } c && s.LastMetricsAt > s.PreviousMetricsAt)
                {
                    var elapsed = s.LastMetricsAt - s.PreviousMetricsAt;
                    backpressured = Math.Clamp((c.BackpressuredMs - p.BackpressuredMs) * 1000.0 / elapsed, 0, 1000);
                    var idle = Math.Clamp((c.IdleMs - p.IdleMs) * 1000.0 / elapsed, 0, 1000);
                    busy = Math.Clamp(1000 - idle - backpressured, 0, 1000);
                }
                return new SubtaskInfo(i, (s?.State ?? TaskState.Created).ToString(), s?.Worker.Id, m?.RecordsIn ?? 0, m?.RecordsOut ?? 0, m?.Backlog ?? 0, busy, backpressured);
            }).ToList())).ToList();
        return new JobDetail(Summary(), Artifact.Id, EntryClass, Request.Args ?? [], vertices, _failure);
    }

    public IReadOnlyList<CheckpointInfo> CheckpointHistory()
    {
        lock (_checkpoints) return _checkpoints.ToList();
    }

    public IReadOnlyList<ExceptionInfo> Exceptions()
    {
        lock (_exceptions) return _exceptions.ToList();
    }

    public void Dispose() => Cancel();
}
