using System.Diagnostics;
using StreamShield.Execution;
using StreamShield.Runtime.Execution;
using StreamShield.Runtime.Tasks;

namespace StreamShield.Runtime.Checkpointing;

/// <summary>
/// Triggers checkpoints (periodic, savepoints, the final one of a bounded job), collects the subtasks'
/// acknowledgements, completes a checkpoint by writing its metadata last, notifies the subtasks (sinks commit),
/// and keeps the newest <see cref="CheckpointConfig.RetainedCheckpoints"/>. Enforces timeout, minimum pause,
/// max concurrency and tolerable failures. One per job; it outlives attempts so checkpoint ids keep increasing.
/// </summary>
internal sealed class CheckpointCoordinator : IDisposable
{
    private readonly CheckpointConfig _config;
    private readonly ICheckpointStorage _storage;
    private readonly JobTimeline _timeline;
    private readonly string _jobName;
    private readonly TimeProvider _clock;
    private readonly Action<Exception> _failJob;
    private readonly object _lock = new();
    private readonly Dictionary<long, PendingCheckpoint> _pending = new();
    private readonly List<string> _completed = new();
    // Incremental checkpoints share state files: a discarded checkpoint's files are deleted only once no retained
    // checkpoint, and no pending one's base, names them. Both maps are guarded by _gcLock.
    private readonly Dictionary<string, HashSet<string>> _referencedFiles = new(StringComparer.Ordinal); // location -> absolute files its metadata names
    private readonly List<string> _discarded = new(); // discarded locations whose files may still be referenced
    private readonly object _gcLock = new();
    private readonly Thread _ticker;
    private IReadOnlyList<ICheckpointParticipant>? _tasks;
    private long _nextId;
    private long _lastCompletionMs;
    private long _lastTriggerMs;
    private int _consecutiveFailures;
    private int _consecutiveStorageFailures; // a location could not be created: each one doubles the pause before the next trigger
    private long _notBeforeMs; // no trigger before this time (back-off after storage failures)
    private int _finalizing; // acknowledged by every subtask, metadata being written: still in flight
    private bool _finalRequested; // all data finished: no more periodic checkpoints, the final one is due
    private bool _finalInFlight;
    private volatile bool _disposed;

    public CheckpointCoordinator(CheckpointConfig config, ICheckpointStorage storage, JobTimeline timeline, string jobName, TimeProvider clock, long firstId, Action<Exception> failJob)
    {
        _config = config;
        _storage = storage;
        _timeline = timeline;
        _jobName = jobName;
        _clock = clock;
        _failJob = failJob;
        _nextId = firstId;
        _completed.AddRange(storage.ListCheckpoints().Reverse());
        _ticker = new Thread(() => { while (!_disposed) { Thread.Sleep(5); Tick(); } }) { IsBackground = true, Name = $"{jobName} checkpoint coordinator" };
        _ticker.Start();
    }

    public long Completed { get; private set; }
    public long Failed { get; private set; }
    public long? LastCompletedId { get; private set; }
    public TimeSpan? LastDuration { get; private set; }
    public long? LastSize { get; private set; }
    public bool FinalCheckpointCompleted { get; private set; }

    /// <summary>
    /// Called under the coordinator's lock with a new checkpoint's id and location, before its sources are triggered
    /// (the cluster tells every worker where the checkpoint's state files go).
    /// </summary>
    public Action<long, CheckpointTarget>? Triggering { get; set; }

    /// <summary>Called (outside the lock) when a checkpoint or savepoint completed or failed, for checkpoint history views.</summary>
    public Action<CheckpointOutcome>? Ended { get; set; }

    /// <summary>Raised (outside the lock) when the final checkpoint of a bounded job completed.</summary>
    public event Action? FinalCheckpointDone;

    private long NowMs => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Checkpoints triggered and not yet completed or failed (under the lock).</summary>
    private int InFlight => _pending.Count + _finalizing;

    /// <summary>Starts coordinating a new attempt's subtasks.</summary>
    public void Attach(IReadOnlyList<ICheckpointParticipant> tasks)
    {
        lock (_lock)
        {
            _tasks = tasks;
            _lastCompletionMs = _lastTriggerMs = NowMs;
            FinalCheckpointCompleted = false;
            _finalRequested = _finalInFlight = false;
        }
    }

    /// <summary>Stops coordinating the current attempt and aborts its pending checkpoints (on failure or cancel).</summary>
    public void Detach(string reason)
    {
        List<PendingCheckpoint> aborted;
        lock (_lock)
        {
            _tasks = null;
            aborted = _pending.Values.ToList();
            _pending.Clear();
            _finalRequested = _finalInFlight = false;
        }
        foreach (var p in aborted)
        {
            _storage.Discard(p.Location);
            p.Savepoint?.TrySetException(new InvalidOperationException($"Savepoint {p.Id} was aborted: {reason}"));
            _timeline.Add(JobEventKind.CheckpointFailed, $"Checkpoint {p.Id} aborted: {reason}");
        }
    }

    /// <summary>Where a pending checkpoint writes, and the checkpoint its incremental snapshots may build on (null if it is no longer pending).</summary>
    public CheckpointTarget? TargetOf(long id)
    {
        lock (_lock) return _pending.TryGetValue(id, out var p) ? p.Target : null;
    }

    private void Tick()
    {
        try
        {
            List<PendingCheckpoint> expired;
            lock (_lock)
            {
                if (_disposed) return;
                var now = NowMs;
                expired = _pending.Values.Where(p => now - p.StartMs > (long)_config.Timeout.TotalMilliseconds).ToList();
            }
            foreach (var p in expired) Fail(p.Id, $"expired after {_config.Timeout.TotalSeconds:0.###} s before all subtasks acknowledged", countsAsFailure: true);
            lock (_lock) TryTriggerFinalLocked();
            if (_config.Interval is { } interval) TriggerPeriodic(interval);
        }
        catch (Exception e)
        {
            _timeline.Add(JobEventKind.CheckpointFailed, $"Checkpoint coordinator error: {e.Message}");
        }
    }

    private void TriggerPeriodic(TimeSpan interval)
    {
        lock (_lock)
        {
            if (_tasks is null || FinalCheckpointCompleted || _finalRequested) return;
            var now = NowMs;
            if (now - _lastTriggerMs < (long)interval.TotalMilliseconds || now < _notBeforeMs) return;
            if (InFlight >= _config.MaxConcurrentCheckpoints) return;
            if (now - _lastCompletionMs < (long)_config.MinPauseBetweenCheckpoints.TotalMilliseconds) return;
            if (_tasks.Any(t => !t.CanCheckpoint)) return;
            TriggerLocked(null, null, isFinal: false);
        }
    }

    /// <summary>
    /// Requests the final checkpoint of a bounded job (all subtasks finished their data): it is triggered as soon as
    /// fewer than <see cref="CheckpointConfig.MaxConcurrentCheckpoints"/> are in flight, and no periodic one follows it.
    /// </summary>
    public void TriggerFinal()
    {
        lock (_lock)
        {
            if (_tasks is null) return;
            _finalRequested = true;
            TryTriggerFinalLocked();
        }
    }

    private void TryTriggerFinalLocked()
    {
        if (!_finalRequested || _finalInFlight || FinalCheckpointCompleted || _tasks is null || InFlight >= _config.MaxConcurrentCheckpoints) return;
        if (NowMs < _notBeforeMs) return;
        _finalInFlight = true;
        TriggerLocked(null, null, isFinal: true);
    }

    /// <summary>Triggers a savepoint into <paramref name="directory"/>; completes with its path.</summary>
    public Task<string> TriggerSavepoint(string directory)
    {
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_tasks is null) throw new InvalidOperationException("The job is not running; a savepoint needs running subtasks.");
            TriggerLocked(directory, tcs, isFinal: false);
        }
        return tcs.Task;
    }

    private void TriggerLocked(string? savepointDir, TaskCompletionSource<string>? savepoint, bool isFinal)
    {
        var id = _nextId;
        string location;
        try
        {
            location = _storage.CreateLocation(id, savepointDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            StorageFailedLocked(id, e, savepoint, isFinal);
            return;
        }
        _nextId++;
        _consecutiveStorageFailures = 0;
        var tasks = _tasks!;
        var now = _clock.GetUtcNow();
        // A checkpoint may build on the newest completed one: it is retained, and kept while this one is pending.
        var baseLocation = savepoint is null && _completed.Count > 0 ? _completed[^1] : null;
        long? baseId = baseLocation is not null ? IdOf(baseLocation) : null;
        var target = new CheckpointTarget(location, baseId);
        var pending = new PendingCheckpoint(id, location, now.ToUnixTimeMilliseconds(), Stopwatch.GetTimestamp(), tasks.Count, savepoint, isFinal)
        {
            Tasks = _tasks,
            Target = target,
            BaseLocation = baseLocation,
        };
        _pending[id] = pending;
        _lastTriggerMs = now.ToUnixTimeMilliseconds();
        _timeline.Add(JobEventKind.CheckpointTriggered, $"{(savepoint is null ? "Checkpoint" : "Savepoint")} {id} triggered{(isFinal ? " (final)" : "")}", now);
        Triggering?.Invoke(id, target);
        foreach (var t in tasks) if (t.IsSource) t.TriggerCheckpoint(id);
    }

    /// <summary>
    /// Checkpoint storage refused the new checkpoint's directory (read-only, full, unreachable). The id is not used
    /// up; the failure counts like any other (towards <see cref="CheckpointConfig.TolerableCheckpointFailures"/>);
    /// and the next trigger waits twice as long each time, from the checkpoint interval up to a minute, instead of
    /// retrying at every tick. A savepoint fails at once with the reason.
    /// </summary>
    private void StorageFailedLocked(long id, Exception error, TaskCompletionSource<string>? savepoint, bool isFinal)
    {
        var now = _clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var reason = $"checkpoint storage refused its directory: {error.Message}";
        _lastTriggerMs = nowMs;
        if (isFinal) _finalInFlight = false;
        if (savepoint is not null)
        {
            savepoint.TrySetException(new InvalidOperationException($"Savepoint {id} failed: {reason}"));
            _timeline.Add(JobEventKind.CheckpointFailed, $"Savepoint {id} failed: {reason}", now);
            return;
        }
        Failed++;
        _consecutiveStorageFailures++;
        var baseMs = Math.Max(1000, (long)(_config.Interval?.TotalMilliseconds ?? 1000));
        var pauseMs = Math.Min(60_000, baseMs << Math.Min(_consecutiveStorageFailures - 1, 16));
        _notBeforeMs = nowMs + pauseMs;
        _consecutiveFailures++;
        var exceeded = _consecutiveFailures > _config.TolerableCheckpointFailures;
        if (exceeded) _consecutiveFailures = 0;
        _timeline.Add(JobEventKind.CheckpointFailed, $"Checkpoint {id} failed: {reason}; the next attempt in {pauseMs / 1000.0:0.#} s", now);
        var failure = exceeded && _tasks is not null
            ? new CheckpointFailureException($"More than {_config.TolerableCheckpointFailures} consecutive checkpoint failures (the last: checkpoint {id}: {reason}). Raise CheckpointConfig.TolerableCheckpointFailures to ride through more.")
            : null;
        // Not under this lock: the listeners and failing the job take locks that are taken before this one elsewhere.
        ThreadPool.QueueUserWorkItem(_ =>
        {
            Ended?.Invoke(new CheckpointOutcome(id, false, false, TimeSpan.Zero, null, null, reason));
            if (failure is not null) _failJob(failure);
        });
    }

    public void Acknowledge(ICheckpointParticipant task, long id, TaskCheckpointAck ack)
    {
        PendingCheckpoint? complete = null;
        lock (_lock)
        {
            if (!_pending.TryGetValue(id, out var p) || !_tasks!.Contains(task)) return;
            p.Acks[task.Id] = ack;
            if (p.Acks.Count == p.ExpectedAcks)
            {
                _pending.Remove(id);
                _finalizing++;
                complete = p;
            }
        }
        if (complete is not null) Complete(complete);
    }

    public void Decline(long id, Exception reason) => Fail(id, reason.Message, countsAsFailure: true);

    private void Complete(PendingCheckpoint p)
    {
        IReadOnlyList<StateFileInfo>? metadataFiles = null;
        try
        {
            var acks = p.Acks.Values.ToList();
            var metadata = new CheckpointMetadata(p.Id, p.StartMs, p.Savepoint is not null, _jobName,
                acks.SelectMany(a => a.States).ToList(), acks.SelectMany(a => a.Files).ToList());
            var bytes = MetadataSerializer.Write(metadata);
            metadataFiles = metadata.Files;
            // Completing and detaching are atomic: a checkpoint of an attempt that has failed meanwhile must not
            // complete, or the restarted attempt (already restoring from an older one) would clean up files it needs.
            lock (_lock)
            {
                if (!ReferenceEquals(_tasks, p.Tasks)) throw new OperationCanceledException("its attempt ended before the checkpoint could complete");
                _storage.WriteMetadata(p.Location, bytes);
                // Before any sink commits: recovery then never restores a checkpoint older than committed output.
                _storage.RecordCommitted(p.Id, p.Location);
            }
        }
        catch (Exception e)
        {
            _storage.Discard(p.Location);
            FailCompleted(p, $"finalizing failed: {e.Message}", finalizing: true);
            return;
        }

        IReadOnlyList<ICheckpointParticipant>? tasks;
        List<string> discard = new();
        var duration = Stopwatch.GetElapsedTime(p.StartTicks);
        var size = p.Acks.Values.Sum(a => a.Bytes);
        lock (_lock)
        {
            _finalizing--;
            var now = _clock.GetUtcNow();
            tasks = _tasks;
            _lastCompletionMs = now.ToUnixTimeMilliseconds();
            _consecutiveFailures = 0;
            if (p.Savepoint is null)
            {
                Completed++;
                LastCompletedId = p.Id;
                LastDuration = duration;
                LastSize = size;
                _completed.Add(p.Location);
                lock (_gcLock) _referencedFiles[p.Location] = ReferencedFiles(p.Location, metadataFiles!);
                while (_completed.Count > _config.RetainedCheckpoints)
                {
                    discard.Add(_completed[0]);
                    _completed.RemoveAt(0);
                }
            }
            if (p.IsFinal) FinalCheckpointCompleted = true;
            // Logged under the lock with the time the pause is measured from, so the timeline orders it before the next trigger.
            _timeline.Add(p.Savepoint is null ? JobEventKind.CheckpointCompleted : JobEventKind.SavepointCompleted,
                $"{(p.Savepoint is null ? "Checkpoint" : "Savepoint")} {p.Id} completed in {duration.TotalMilliseconds:0} ms, {size} bytes{(p.IsFinal ? " (final)" : "")}", now);
        }
        if (tasks is not null) foreach (var t in tasks) t.NotifyCheckpointComplete(p.Id);
        Ended?.Invoke(new CheckpointOutcome(p.Id, p.Savepoint is not null, true, duration, size, p.Location, null));
        CollectGarbage(discard);
        p.Savepoint?.TrySetResult(p.Location);
        if (p.IsFinal) FinalCheckpointDone?.Invoke();
    }

    private static long? IdOf(string location) => long.TryParse(Path.GetFileName(location).AsSpan(4), out var id) ? id : null;

    private static HashSet<string> ReferencedFiles(string location, IEnumerable<StateFileInfo> files) =>
        files.Select(f => Path.GetFullPath(Path.Combine(location, f.FileName))).ToHashSet(StringComparer.Ordinal);

    /// <summary>The files a completed checkpoint's metadata names (read from storage for checkpoints of an earlier run).</summary>
    private HashSet<string> ReferencedFilesOf(string location)
    {
        if (_referencedFiles.TryGetValue(location, out var files)) return files;
        var loaded = CheckpointLoader.TryLoad(location, out _);
        return _referencedFiles[location] = loaded is null ? new(StringComparer.Ordinal) : ReferencedFiles(location, loaded.Metadata.Files);
    }

    /// <summary>
    /// Discards checkpoints that fell out of retention: each stops being restorable at once, and its files go as soon
    /// as no retained checkpoint and no pending checkpoint's base name them (they may be shared by incremental ones).
    /// </summary>
    private void CollectGarbage(IEnumerable<string> newlyDiscarded)
    {
        List<string> keepers;
        lock (_lock) keepers = _completed.Concat(_pending.Values.Select(p => p.BaseLocation).OfType<string>()).Distinct().ToList();
        lock (_gcLock)
        {
            _discarded.AddRange(newlyDiscarded);
            if (_discarded.Count == 0) return;
            var keep = keepers.SelectMany(ReferencedFilesOf).ToHashSet(StringComparer.Ordinal);
            _discarded.RemoveAll(location =>
            {
                if (!_storage.Discard(location, keep)) return false;
                _referencedFiles.Remove(location);
                return true;
            });
        }
    }

    private void Fail(long id, string reason, bool countsAsFailure)
    {
        PendingCheckpoint? p;
        lock (_lock)
        {
            if (!_pending.Remove(id, out p)) return;
        }
        _storage.Discard(p.Location);
        FailCompleted(p, reason, finalizing: false);
    }

    private void FailCompleted(PendingCheckpoint p, string reason, bool finalizing)
    {
        IReadOnlyList<ICheckpointParticipant>? tasks = null;
        bool exceeded = false;
        var aborted = false;
        lock (_lock)
        {
            if (finalizing) _finalizing--;
            if (!ReferenceEquals(_tasks, p.Tasks))
            {
                // A checkpoint of an attempt that already ended: abort it quietly, it says nothing about the current attempt.
                if (p.IsFinal) _finalInFlight = false;
                _timeline.Add(JobEventKind.CheckpointFailed, $"Checkpoint {p.Id} aborted: {reason}", _clock.GetUtcNow());
                p.Savepoint?.TrySetException(new InvalidOperationException($"Savepoint {p.Id} aborted: {reason}"));
                aborted = true;
            }
            else
            {
                if (p.IsFinal) _finalInFlight = false;
                Failed++;
                tasks = _tasks;
                _consecutiveFailures++;
                exceeded = _consecutiveFailures > _config.TolerableCheckpointFailures;
                if (exceeded) _consecutiveFailures = 0;
                var now = _clock.GetUtcNow();
                _lastCompletionMs = now.ToUnixTimeMilliseconds();
                _timeline.Add(JobEventKind.CheckpointFailed, $"Checkpoint {p.Id} failed: {reason}", now);
            }
        }
        if (aborted)
        {
            Ended?.Invoke(new CheckpointOutcome(p.Id, p.Savepoint is not null, false, Stopwatch.GetElapsedTime(p.StartTicks), null, p.Location, $"aborted: {reason}"));
            return;
        }
        p.Savepoint?.TrySetException(new InvalidOperationException($"Savepoint {p.Id} failed: {reason}"));
        Ended?.Invoke(new CheckpointOutcome(p.Id, p.Savepoint is not null, false, Stopwatch.GetElapsedTime(p.StartTicks), null, p.Location, reason));
        if (tasks is not null) foreach (var t in tasks) t.NotifyCheckpointAborted(p.Id);
        if (p.IsFinal && !exceeded)
        {
            // The job cannot end without committing its last output: try the final checkpoint again.
            TriggerFinal();
            return;
        }
        if (exceeded && tasks is not null)
            _failJob(new CheckpointFailureException($"More than {_config.TolerableCheckpointFailures} consecutive checkpoint failures (the last: checkpoint {p.Id}: {reason}). Raise CheckpointConfig.TolerableCheckpointFailures to ride through more."));
    }

    public void Dispose()
    {
        lock (_lock) _disposed = true;
    }

    private sealed class PendingCheckpoint(long id, string location, long startMs, long startTicks, int expectedAcks, TaskCompletionSource<string>? savepoint, bool isFinal)
    {
        /// <summary>The attempt's subtasks this checkpoint was triggered on; it completes only while they are still attached.</summary>
        public IReadOnlyList<ICheckpointParticipant>? Tasks { get; init; }
        public long Id { get; } = id;
        public string Location { get; } = location;
        public long StartMs { get; } = startMs;
        public long StartTicks { get; } = startTicks;
        public int ExpectedAcks { get; } = expectedAcks;
        public TaskCompletionSource<string>? Savepoint { get; } = savepoint;
        public bool IsFinal { get; } = isFinal;
        public Dictionary<SubtaskId, TaskCheckpointAck> Acks { get; } = new();
        public CheckpointTarget Target { get; init; } = new(location, null);
        /// <summary>The completed checkpoint whose files this one may refer to; kept on disk while this one is pending.</summary>
        public string? BaseLocation { get; init; }
    }
}

/// <summary>Where a checkpoint writes, and the completed checkpoint (if any) its incremental keyed-state snapshots may build on.</summary>
internal sealed record CheckpointTarget(string Location, long? BaseCheckpointId);

/// <summary>How a checkpoint or savepoint ended.</summary>
internal sealed record CheckpointOutcome(long Id, bool IsSavepoint, bool Succeeded, TimeSpan Duration, long? Size, string? Location, string? Failure);

/// <summary>Too many consecutive checkpoints failed; the job fails over.</summary>
public sealed class CheckpointFailureException(string message) : Exception(message);
