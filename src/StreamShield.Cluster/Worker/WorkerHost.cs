using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using StreamShield.Cluster.Control;
using StreamShield.Cluster.Jobs;
using StreamShield.Cluster.Packaging;
using StreamShield.Cluster.Transport;
using StreamShield.Runtime.Checkpointing;
using StreamShield.Runtime.Tasks;
using StreamShield.Serialization;

namespace StreamShield.Cluster.Worker;

/// <summary>
/// Options of a worker process (`streamshield worker`). <c>CoordinatorTimeout</c>: how long the worker keeps trying to reach a coordinator it
/// cannot reach (at start or after losing it) before it gives up with <see cref="CoordinatorUnreachableException"/>;
/// null waits forever.
/// </summary>
public sealed record WorkerOptions(string CoordinatorHost, int CoordinatorPort, int Slots = 1, string? Token = null,
    string BindHost = "127.0.0.1", int DataPort = 0, string? WorkDir = null, TimeSpan? CoordinatorTimeout = null);

/// <summary>The worker gave up on a coordinator it could not reach for longer than its timeout.</summary>
public sealed class CoordinatorUnreachableException(string message) : Exception(message);

/// <summary>
/// A worker process: registers with the coordinator over one persistent control connection, sends heartbeats,
/// runs the subtasks it is given (loading each job's code into its own collectible context), and serves the data
/// port for channels to other workers. If the coordinator connection drops, it cancels everything it runs (the
/// coordinator fails those attempts over elsewhere) and registers again when the coordinator is back.
/// </summary>
internal sealed class WorkerHost : IDisposable
{
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(250);

    private readonly WorkerOptions _options;
    private readonly Action<string> _log;
    private readonly string _workDir;
    private readonly bool _ownsWorkDir;
    private readonly DataPlane.DataPlane _dataPlane;
    private readonly ConcurrentDictionary<string, WorkerAttempt> _attempts = new();
    private readonly ConcurrentDictionary<string, WorkerJob> _jobs = new();
    private readonly HashSet<string> _cancelledBeforeDeploy = new();
    private readonly List<WeakReference> _unloaded = new();
    private FrameConnection? _connection;
    private string? _restUrl;
    private volatile bool _disposed;

    public WorkerHost(WorkerOptions options, Action<string>? log = null)
    {
        _options = options;
        _log = log ?? (m => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} worker: {m}"));
        _ownsWorkDir = options.WorkDir is null;
        _workDir = Path.GetFullPath(options.WorkDir ?? Path.Combine(Path.GetTempPath(), $"streamshield-worker-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(_workDir);
        WorkerId = $"worker-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        _dataPlane = new DataPlane.DataPlane(WorkerId, options.BindHost, options.DataPort, options.Token, m => _log($"data plane: {m}"));
        _dataPlane.PeerLost += (peer, error) => _log($"data connection to {peer} lost: {error?.Message}");
    }

    /// <summary>This worker's id (pid plus a random suffix, unique per process start), announced at registration.</summary>
    public string WorkerId { get; }
    public int DataPort => _dataPlane.Port;

    /// <summary>Runs until <paramref name="cancel"/> fires: registers, serves, and re-registers after losing the coordinator.</summary>
    public void Run(CancellationToken cancel)
    {
        var heartbeat = new Thread(() => HeartbeatLoop(cancel)) { IsBackground = true, Name = "worker heartbeat" };
        heartbeat.Start();
        var unreachableSince = Environment.TickCount64; // at start, and from each loss of the coordinator
        while (!cancel.IsCancellationRequested)
        {
            FrameConnection connection;
            try
            {
                connection = Register();
            }
            catch (RegistrationRefusedException)
            {
                throw;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or TimeoutException)
            {
                var waited = TimeSpan.FromMilliseconds(Environment.TickCount64 - unreachableSince);
                if (_options.CoordinatorTimeout is { } limit && waited >= limit)
                    throw new CoordinatorUnreachableException($"The coordinator at {_options.CoordinatorHost}:{_options.CoordinatorPort} has been unreachable for {waited.TotalSeconds:0} s ({e.Message}); giving up (--coordinator-timeout {limit.TotalSeconds:0}).");
                _log($"cannot reach the coordinator at {_options.CoordinatorHost}:{_options.CoordinatorPort}: {e.Message}; retrying in 1 s");
                cancel.WaitHandle.WaitOne(1000);
                continue;
            }
            var closed = new ManualResetEventSlim();
            connection.Closed += (_, _) => closed.Set();
            _connection = connection;
            connection.Start(OnFrame);
            WaitHandle.WaitAny([closed.WaitHandle, cancel.WaitHandle]);
            connection.Close();
            _connection = null;
            if (!cancel.IsCancellationRequested) _log($"lost the coordinator ({connection.CloseReason?.Message ?? "closed"}); cancelling all subtasks and registering again");
            CancelEverything();
            unreachableSince = Environment.TickCount64;
        }
    }

    private FrameConnection Register()
    {
        var connection = FrameConnection.Connect(_options.CoordinatorHost, _options.CoordinatorPort, "control", TimeSpan.FromSeconds(5));
        try
        {
            var register = new RegisterMessage(WorkerId, EngineVersion.Current, _options.Token, Environment.ProcessId, _options.BindHost, _dataPlane.Port, _options.Slots);
            connection.Send((byte)ControlType.Register, register.Encode());
            var (type, payload) = connection.ReadOne(TimeSpan.FromSeconds(10));
            if ((ControlType)type == ControlType.Refused)
                throw new RegistrationRefusedException($"The coordinator refused this worker: {SimpleMessage.Decode(new DataInput(payload), ControlType.Refused).Text}");
            if ((ControlType)type != ControlType.Registered) throw new InvalidDataException($"Unexpected answer {type} to registration.");
            var reply = RegisteredMessage.Decode(new DataInput(payload));
            if (reply.Id != WorkerId) throw new RegistrationRefusedException($"The coordinator answered with worker id {reply.Id}, not {WorkerId}.");
            _restUrl = reply.RestUrl;
            _dataPlane.DataKey = reply.DataKey;
            connection.Name = $"control {WorkerId}";
            _log($"registered as {WorkerId} with {_options.Slots} slots; data port {_dataPlane.Port}");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Send(ControlType type, byte[] payload) => _connection?.Send((byte)type, payload);

    private void OnFrame(byte type, ReadOnlyMemory<byte> payload)
    {
        var bytes = payload.ToArray();
        var input = new DataInput(bytes);
        var t = (ControlType)type;
        switch (t)
        {
            case ControlType.CoordinatorHeartbeat:
                break;
            case ControlType.Deploy:
                {
                    var deploy = DeployMessage.Decode(input);
                    new Thread(() => Deploy(deploy)) { IsBackground = true, Name = $"deploy {deploy.AttemptId}" }.Start();
                    break;
                }
            case ControlType.CancelAttempt:
                {
                    var m = SimpleMessage.Decode(input, t);
                    if (_attempts.TryGetValue(m.Id, out var a)) a.Cancel();
                    else lock (_cancelledBeforeDeploy) _cancelledBeforeDeploy.Add(m.Id);
                    break;
                }
            case ControlType.TerminateAttempt:
                {
                    var m = SimpleMessage.Decode(input, t);
                    if (_attempts.TryGetValue(m.Id, out var a)) a.Terminate();
                    break;
                }
            case ControlType.CheckpointLocation:
                {
                    var m = CheckpointLocationMessage.Decode(input, t);
                    if (_attempts.TryGetValue(m.AttemptId, out var a))
                        a.SetTarget(m.CheckpointId, new CheckpointTarget(m.Location, m.BaseCheckpointId >= 0 ? m.BaseCheckpointId : null));
                    break;
                }
            case ControlType.TriggerCheckpoint or ControlType.CheckpointComplete or ControlType.CheckpointAborted:
                {
                    var m = SubtaskCheckpointMessage.Decode(input, t);
                    if (!_attempts.TryGetValue(m.AttemptId, out var a) || a.Find(m.VertexId, m.Subtask) is not { } task) break;
                    if (t == ControlType.TriggerCheckpoint) task.TriggerCheckpoint(m.CheckpointId);
                    else if (t == ControlType.CheckpointComplete) task.NotifyCheckpointComplete(m.CheckpointId);
                    else task.NotifyCheckpointAborted(m.CheckpointId);
                    break;
                }
            case ControlType.PeerLost:
                _dataPlane.DisconnectPeer(SimpleMessage.Decode(input, t).Id);
                break;
            case ControlType.JobEnded:
                {
                    var m = SimpleMessage.Decode(input, t);
                    if (_jobs.TryRemove(m.Id, out var job)) Unload(job);
                    break;
                }
            default:
                throw new InvalidDataException($"Unknown control frame type {type}.");
        }
    }

    private void Deploy(DeployMessage deploy)
    {
        try
        {
            var job = _jobs.GetOrAdd(deploy.JobId, _ => new WorkerJob(deploy, FetchArtifact(deploy.ArtifactId), Path.Combine(_workDir, "jobs")));
            var definition = job.Definition;
            if (definition.Fingerprint != deploy.GraphFingerprint)
                throw new InvalidOperationException($"The job's code built a different graph here ({definition.Fingerprint}) than on the coordinator ({deploy.GraphFingerprint}): the job's Build must be deterministic.");
            foreach (var p in deploy.Peers) if (p.WorkerId != WorkerId) _dataPlane.SetPeer(p.WorkerId, p.Host, p.Port, p.DataKey);
            var attempt = new WorkerAttempt(deploy, definition, WorkerId, _workDir, _dataPlane, Send, _log);
            attempt.Released += a => _attempts.TryRemove(a.AttemptId, out _);
            _attempts[deploy.AttemptId] = attempt;
            bool cancelled;
            lock (_cancelledBeforeDeploy) cancelled = _cancelledBeforeDeploy.Remove(deploy.AttemptId);
            if (cancelled) attempt.Cancel();
            attempt.Start();
            _log($"deployed {attempt.Tasks.Count} subtasks of attempt {deploy.AttemptId} (job {deploy.JobId}, attempt {deploy.Attempt}){(deploy.RestoreLocation is null ? "" : $" restoring {deploy.RestoreLocation}")}");
        }
        catch (Exception e)
        {
            _log($"deployment of attempt {deploy.AttemptId} failed: {e.Message}");
            Send(ControlType.TaskState, new TaskStateMessage(deploy.AttemptId, -1, -1, (byte)TaskState.Failed, $"deployment on {WorkerId} failed: {e.GetType().Name}: {e.Message}").Encode());
            Send(ControlType.AttemptReleased, new SimpleMessage(deploy.AttemptId).Encode());
        }
    }

    private string FetchArtifact(string artifactId)
    {
        var dir = Path.Combine(_workDir, "artifacts");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{artifactId}.zip");
        if (File.Exists(path)) return path;
        if (_restUrl is null) throw new InvalidOperationException("The coordinator did not say where to fetch job artifacts.");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_restUrl.TrimEnd('/')}/api/v1/artifacts/{artifactId}");
        if (_options.Token is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = http.Send(request);
        if (!response.IsSuccessStatusCode) throw new IOException($"Downloading artifact {artifactId} failed: HTTP {(int)response.StatusCode}.");
        var temp = path + ".part";
        using (var file = File.Create(temp)) response.Content.ReadAsStream().CopyTo(file);
        File.Move(temp, path, overwrite: true);
        return path;
    }

    private void HeartbeatLoop(CancellationToken cancel)
    {
        var lastHeartbeat = 0L;
        while (!cancel.IsCancellationRequested && !_disposed)
        {
            cancel.WaitHandle.WaitOne(20);
            HeartbeatTick(ref lastHeartbeat);
        }
    }

    /// <summary>
    /// One round of the heartbeat loop, in its own frame on purpose: this loop runs for the life of the process, and
    /// the JIT may report a dead local of its frame (the enumerator over a snapshot of <see cref="_attempts"/>) as live
    /// until the method returns. Kept in the loop, that stale snapshot held an ended attempt, through its tasks the
    /// job's operators and closures, and so the job's unloaded code context, forever. A frame that returns each round
    /// cannot retain them.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void HeartbeatTick(ref long lastHeartbeat)
    {
        foreach (var a in _attempts.Values) a.ReportStateChanges();
        var now = Environment.TickCount64;
        if (now - lastHeartbeat < HeartbeatInterval.TotalMilliseconds) return;
        lastHeartbeat = now;
        if (_connection is null) return;
        var metrics = _attempts.Values.SelectMany(a => a.Metrics()).ToList();
        using var process = Process.GetCurrentProcess();
        Send(ControlType.Heartbeat, new HeartbeatMessage(process.WorkingSet64, JobCodeContexts(), metrics).Encode());
    }

    private void CancelEverything()
    {
        foreach (var a in _attempts.Values) a.Cancel();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var a in _attempts.Values)
            foreach (var t in a.Tasks) t.Join(deadline - DateTime.UtcNow is { } left && left > TimeSpan.Zero ? left : TimeSpan.Zero);
        foreach (var id in _jobs.Keys.ToList())
            if (_jobs.TryRemove(id, out var job)) Unload(job);
    }

    /// <summary>Unloads a job's code; the heartbeat collects it soon (see <see cref="JobCodeContexts"/>), so a worker running many short jobs does not grow.</summary>
    private void Unload(WorkerJob job)
    {
        job.Dispose();
        lock (_unloaded) _unloaded.Add(job.ContextReference);
    }

    /// <summary>
    /// Job code contexts still in memory: loaded jobs plus unloaded ones the runtime has not collected yet. While an
    /// unloaded one lingers, a full collection runs at most once a second: an idle worker allocates too little to
    /// trigger one, and the job's code would stay in memory until the next job.
    /// </summary>
    private int JobCodeContexts()
    {
        bool lingering;
        lock (_unloaded)
        {
            _unloaded.RemoveAll(w => !w.IsAlive);
            lingering = _unloaded.Count > 0;
        }
        if (lingering && Environment.TickCount64 - _lastCollection > 1000)
        {
            _lastCollection = Environment.TickCount64;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            lock (_unloaded) _unloaded.RemoveAll(w => !w.IsAlive);
        }
        lock (_unloaded) return _jobs.Count + _unloaded.Count;
    }

    private long _lastCollection;

    public void Dispose()
    {
        _disposed = true;
        _connection?.Close();
        CancelEverything();
        _dataPlane.Dispose();
        if (_ownsWorkDir) try { Directory.Delete(_workDir, true); } catch (IOException) { }
    }
}

/// <summary>The coordinator refused this worker (wrong token, other engine version): retrying cannot help.</summary>
internal sealed class RegistrationRefusedException(string message) : Exception(message);

/// <summary>One job's code on this worker: loaded once into a collectible context, unloaded when the job ends.</summary>
internal sealed class WorkerJob : IDisposable
{
    private readonly LoadedJob _loaded;

    public WorkerJob(DeployMessage deploy, string artifactPath, string extractRoot)
    {
        _loaded = JobClassLoader.Load(artifactPath, extractRoot);
        try
        {
            Definition = JobDefinition.Build(_loaded.Create(deploy.EntryClass), deploy.Args, deploy.Parallelism, deploy.CheckpointIntervalMs, deploy.Configuration, deploy.CheckpointRoot);
        }
        catch
        {
            _loaded.Dispose();
            throw;
        }
    }

    public JobDefinition Definition { get; }
    public WeakReference ContextReference => _loaded.ContextReference;

    public void Dispose() => _loaded.Dispose();
}
