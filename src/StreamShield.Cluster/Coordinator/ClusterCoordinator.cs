using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using StreamShield.Cluster.Control;
using StreamShield.Cluster.Jobs;
using StreamShield.Cluster.Model;
using StreamShield.Cluster.Packaging;
using StreamShield.Cluster.Transport;
using StreamShield.Execution;
using StreamShield.Serialization;

namespace StreamShield.Cluster.Coordinator;

/// <summary>
/// The coordinator's core: accepts worker registrations on the control port (checking engine version and token),
/// watches their heartbeats, keeps the jobs, and answers the REST API. A worker whose connection drops is lost at
/// once; one whose heartbeats stop for <see cref="HeartbeatTimeout"/> is declared lost and cut off.
/// </summary>
internal sealed class ClusterCoordinator : IClusterApi, IDisposable
{
    private readonly TcpListener _listener;
    private readonly string? _token;
    private readonly string _checkpointRoot;
    private readonly string _dataDir;
    private readonly Action<string> _log;

    /// <summary>Where REST callers may have savepoints written (default: the savepoints folder of the checkpoint root).</summary>
    public SavepointTargets Savepoints { get; set; } = null!;

    /// <summary>Largest Register frame accepted from a connection that has not authenticated yet.</summary>
    private const int HandshakeFrameLimit = 64 * 1024;

    private readonly HandshakeGate _handshakes;

    /// <summary>Writes a line to the coordinator's log.</summary>
    internal void Log(string message) => _log(message);
    private readonly JobArtifactStore _artifacts;
    private readonly ConcurrentDictionary<string, WorkerSession> _workers = new();
    private readonly ConcurrentDictionary<string, ClusterJob> _jobs = new();
    private readonly ConcurrentDictionary<string, LoadedJob> _jobCode = new();
    private readonly Thread _acceptor;
    private readonly Thread _watchdog;
    private readonly AutoResetEvent _scheduleSignal = new(false);
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;
    private volatile bool _disposed;

    public ClusterCoordinator(string bindHost, int port, string checkpointRoot, string dataDir, string? token, TimeSpan heartbeatTimeout, Action<string> log)
    {
        _token = token;
        _log = log;
        _handshakes = new HandshakeGate("control port", log);
        _checkpointRoot = Path.GetFullPath(checkpointRoot);
        Savepoints = new SavepointTargets(Path.Combine(_checkpointRoot, "savepoints"));
        _dataDir = Path.GetFullPath(dataDir);
        Directory.CreateDirectory(_checkpointRoot);
        Directory.CreateDirectory(_dataDir);
        _artifacts = new JobArtifactStore(Path.Combine(_dataDir, "artifacts"));
        HeartbeatTimeout = heartbeatTimeout;
        _listener = new TcpListener(IPAddress.Parse(bindHost == "localhost" ? "127.0.0.1" : bindHost), port);
        try
        {
            _listener.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new Transport.PortInUseException("control port", bindHost, port, e);
        }
        ControlPort = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptor = new Thread(AcceptLoop) { IsBackground = true, Name = "control acceptor" };
        _acceptor.Start();
        _watchdog = new Thread(WatchdogLoop) { IsBackground = true, Name = "coordinator watchdog" };
        _watchdog.Start();
    }

    public int ControlPort { get; }
    public TimeSpan HeartbeatTimeout { get; }

    /// <summary>How long a job waits for enough free slots before it fails.</summary>
    public TimeSpan SlotTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The REST URL workers download artifacts from (set once the REST server listens).</summary>
    public string? RestUrl { get; set; }

    /// <summary>Asks the scheduler loop to place waiting jobs now.</summary>
    public void Schedule() => _scheduleSignal.Set();

    private void AcceptLoop()
    {
        while (!_disposed)
        {
            Socket socket;
            try
            {
                socket = _listener.AcceptSocket();
            }
            catch (Exception) when (_disposed)
            {
                return;
            }
            catch (SocketException e)
            {
                _log($"control port accept failed: {e.Message}");
                continue;
            }
            _handshakes.Start(socket, Handshake, "control handshake");
        }
    }

    private void Handshake(Socket socket)
    {
        var connection = new FrameConnection(socket, "control (registering)");
        try
        {
            var (type, payload) = connection.ReadOne(TimeSpan.FromSeconds(10), HandshakeFrameLimit);
            if ((ControlType)type != ControlType.Register) throw new InvalidDataException($"expected a Register frame first, got type {type}");
            var register = RegisterMessage.Decode(new DataInput(payload));
            string? refusal = null;
            if (register.EngineVersion != EngineVersion.Current)
                refusal = $"engine version mismatch: the worker runs {register.EngineVersion}, the coordinator {EngineVersion.Current}. Run the same StreamShield version on every process.";
            else if (_token is not null && !TokenMatches(register.Token))
                refusal = "missing or wrong cluster token: start the worker with the coordinator's --token.";
            else if (register.WorkerId.Length is 0 or > 100 || _workers.ContainsKey(register.WorkerId))
                refusal = $"worker id '{register.WorkerId}' is empty, too long or already registered.";
            else if (register.Slots < 1)
                refusal = $"a worker needs at least 1 slot (it offered {register.Slots}).";
            if (refusal is not null)
            {
                _handshakes.Log($"refused worker from {connection.RemoteEndPoint} (pid {register.Pid}): {refusal}");
                connection.Send((byte)ControlType.Refused, new SimpleMessage("", refusal).Encode());
                Thread.Sleep(100); // let the refusal reach the worker before closing
                connection.Close();
                return;
            }
            var id = register.WorkerId;
            var session = new WorkerSession(id, connection, register) { DataKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)) };
            connection.Name = $"control {id}";
            // Registered must be the first frame the worker reads: once the session is in _workers, the watchdog
            // may send it heartbeats and deployments, so it is published only after the answer went out.
            connection.Send((byte)ControlType.Registered, new RegisteredMessage(id, RestUrl, (long)HeartbeatTimeout.TotalMilliseconds, session.DataKey).Encode());
            if (!_workers.TryAdd(id, session)) throw new InvalidDataException($"worker id '{id}' registered twice at once");
            connection.Closed += (_, reason) => OnWorkerLost(session, reason is null ? "connection closed" : $"connection lost ({reason.Message})");
            connection.Start((t, p) => OnFrame(session, t, p));
            _log($"worker {id} registered: pid {register.Pid}, {register.Slots} slots, data port {register.Host}:{register.DataPort}");
            Schedule();
        }
        catch (Exception e)
        {
            _handshakes.Log($"closed control connection from {connection.RemoteEndPoint}: {e.Message}");
            connection.Close();
        }
    }

    private bool TokenMatches(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(_token!));

    private void OnFrame(WorkerSession worker, byte type, ReadOnlyMemory<byte> payload)
    {
        worker.LastHeartbeatTicks = Environment.TickCount64;
        var input = new DataInput(payload.ToArray());
        var t = (ControlType)type;
        switch (t)
        {
            case ControlType.Heartbeat:
                {
                    var m = HeartbeatMessage.Decode(input);
                    worker.MemoryBytes = m.MemoryBytes;
                    if (m.JobCodeContexts >= 0) worker.JobCodeContexts = m.JobCodeContexts;
                    foreach (var s in m.Subtasks) Dispatch(JobOfAttempt(s.AttemptId), j => j.OnHeartbeatMetrics(s));
                    break;
                }
            case ControlType.TaskState:
                {
                    var m = TaskStateMessage.Decode(input);
                    Dispatch(JobOfAttempt(m.AttemptId), j => j.OnTaskState(worker, m));
                    break;
                }
            case ControlType.CheckpointAck:
                {
                    var m = SubtaskCheckpointMessage.Decode(input, t);
                    Dispatch(JobOfAttempt(m.AttemptId), j => j.OnCheckpointAck(m));
                    break;
                }
            case ControlType.CheckpointDecline:
                {
                    var m = SubtaskCheckpointMessage.Decode(input, t);
                    Dispatch(JobOfAttempt(m.AttemptId), j => j.OnCheckpointDecline(m));
                    break;
                }
            case ControlType.AttemptReleased:
                {
                    var m = SimpleMessage.Decode(input, t);
                    foreach (var job in _jobs.Values) Dispatch(job, j => j.OnAttemptReleased(worker, m.Id));
                    Schedule();
                    break;
                }
            default:
                throw new InvalidDataException($"Unknown control frame type {type} from {worker.Id}.");
        }
    }

    /// <summary>
    /// Runs a job's handling of a worker's report on the control connection's thread. An error in one job's work (its
    /// checkpoint storage failing, say) fails that job over; it must not close the connection, which would drop a
    /// healthy worker and every other job on it. Only a malformed frame (failing to decode, before this) does that.
    /// </summary>
    private void Dispatch(ClusterJob? job, Action<ClusterJob> handle)
    {
        if (job is null) return;
        try
        {
            handle(job);
        }
        catch (Exception e)
        {
            _log($"job {job.Id}: handling a worker report failed: {e}");
            job.FailFromCoordinator(e);
        }
    }

    private ClusterJob? JobOfAttempt(string attemptId)
    {
        foreach (var job in _jobs.Values)
            if (job.Owns(attemptId)) return job;
        return null;
    }

    private void OnWorkerLost(WorkerSession worker, string reason)
    {
        if (!worker.MarkDead()) return;
        _workers.TryRemove(worker.Id, out _);
        _log($"worker {worker.Id} (pid {worker.Pid}) lost: {reason}");
        var notice = new SimpleMessage(worker.Id).Encode();
        foreach (var other in _workers.Values) other.Send(ControlType.PeerLost, notice);
        foreach (var job in _jobs.Values) job.OnWorkerLost(worker, reason);
    }

    private void WatchdogLoop()
    {
        while (!_disposed)
        {
            _scheduleSignal.WaitOne(50);
            var now = Environment.TickCount64;
            foreach (var w in _workers.Values)
                if (now - w.LastHeartbeatTicks > HeartbeatTimeout.TotalMilliseconds)
                    OnWorkerLost(w, $"no heartbeat for {(now - w.LastHeartbeatTicks) / 1000.0:0.0} s (timeout {HeartbeatTimeout.TotalSeconds:0.###} s): hung or cut off");
            var workers = _workers.Values.ToList();
            foreach (var job in _jobs.Values)
            {
                try
                {
                    job.TryDeploy(workers, SlotTimeout);
                }
                catch (Exception e)
                {
                    _log($"scheduling job {job.Id} failed: {e.Message}");
                }
            }
            foreach (var w in workers) w.Send(ControlType.CoordinatorHeartbeat, []);
        }
    }

    // ---- IClusterApi ----

    public ClusterOverview Overview()
    {
        var workers = _workers.Values.ToList();
        var jobs = _jobs.Values.ToList();
        return new ClusterOverview(EngineVersion.Current, workers.Count, workers.Sum(w => w.Slots), workers.Sum(w => w.FreeSlots),
            jobs.Count(j => !j.IsTerminal), jobs.Count(j => j.Status == JobStatus.Finished), jobs.Count(j => j.Status == JobStatus.Failed),
            jobs.Count(j => j.Status == JobStatus.Canceled), _start);
    }

    public IReadOnlyList<WorkerInfo> Workers() => _workers.Values.OrderBy(w => w.RegisteredAt).Select(w => w.Info()).ToList();

    public IReadOnlyList<JobSummary> Jobs() => _jobs.Values.OrderBy(j => j.StartTime).Select(j => j.Summary()).ToList();

    public JobDetail? Job(string jobId) => _jobs.TryGetValue(jobId, out var j) ? j.Detail() : null;

    public IReadOnlyList<CheckpointInfo>? Checkpoints(string jobId) => _jobs.TryGetValue(jobId, out var j) ? j.CheckpointHistory() : null;

    public IReadOnlyList<TimelineEvent>? Timeline(string jobId) =>
        _jobs.TryGetValue(jobId, out var j) ? j.Timeline.Snapshot().Select(e => new TimelineEvent(e.Time, e.Kind.ToString(), e.Message, e.Detail)).ToList() : null;

    public IReadOnlyList<ExceptionInfo>? Exceptions(string jobId) => _jobs.TryGetValue(jobId, out var j) ? j.Exceptions() : null;

    public ArtifactInfo UploadArtifact(Stream zip) => _artifacts.Store(zip);

    public string? ArtifactPath(string artifactId) => _artifacts.PathOf(artifactId);

    public SubmitResponse Submit(SubmitRequest request)
    {
        if (request.CheckpointIntervalMs is < 10) throw new ClusterRequestException($"The checkpoint interval must be at least 10 ms (got {request.CheckpointIntervalMs}).");
        if (request.Parallelism is < 1) throw new ClusterRequestException($"Parallelism must be at least 1 (got {request.Parallelism}).");
        var path = _artifacts.PathOf(request.ArtifactId) ?? throw new ClusterRequestException($"Unknown artifact '{request.ArtifactId}': upload it first (POST /api/v1/artifacts).", 404);
        var jobId = Guid.NewGuid().ToString("N")[..16];
        var loaded = JobClassLoader.Load(path, Path.Combine(_dataDir, "jobs"));
        try
        {
            var entry = loaded.Create(request.EntryClass);
            var entryClass = entry.GetType().FullName!;
            JobDefinition definition;
            try
            {
                definition = JobDefinition.Build(entry, request.Args ?? [], request.Parallelism, request.CheckpointIntervalMs, request.Configuration, Path.Combine(_checkpointRoot, jobId));
            }
            catch (JobBuildException e)
            {
                throw new ClusterRequestException($"The job cannot be built: {e.Message}");
            }
            var artifact = new ArtifactInfo(request.ArtifactId, new FileInfo(path).Length, loaded.EntryClasses);
            var job = new ClusterJob(this, jobId, artifact, entryClass, request, definition, () => OnJobEnded(jobId));
            _jobCode[jobId] = loaded;
            _jobs[jobId] = job;
            job.Timeline.Add(JobEventKind.Started, $"Job '{job.Name}' submitted: {definition.Graph.Vertices.Count} vertices, {definition.Graph.TotalSubtasks} subtasks, {definition.RequiredSlots} slots");
            _log($"job {jobId} '{job.Name}' submitted");
            Schedule();
            return new SubmitResponse(jobId);
        }
        catch
        {
            if (!_jobCode.ContainsKey(jobId)) loaded.Dispose();
            throw;
        }
    }

    private void OnJobEnded(string jobId)
    {
        if (_jobs.TryGetValue(jobId, out var job)) _log($"job {jobId} '{job.Name}' {job.Status}");
        // The job's code was extracted to build its graph: unload it and delete the files (the uploaded zip stays in
        // the artifact store, where a resubmission finds it).
        if (_jobCode.TryRemove(jobId, out var code)) code.Dispose();
        Schedule();
    }

    public bool Cancel(string jobId) => _jobs.TryGetValue(jobId, out var j) && j.Cancel();

    public async Task<SavepointResponse> TriggerSavepoint(string jobId, string? directory)
    {
        var job = _jobs.GetValueOrDefault(jobId) ?? throw new ClusterRequestException($"No job '{jobId}'.", 404);
        return new SavepointResponse(await job.TriggerSavepoint(Savepoints.Resolve(directory)).ConfigureAwait(false));
    }

    public async Task<SavepointResponse> StopWithSavepoint(string jobId, string? directory)
    {
        var job = _jobs.GetValueOrDefault(jobId) ?? throw new ClusterRequestException($"No job '{jobId}'.", 404);
        return new SavepointResponse(await job.StopWithSavepoint(Savepoints.Resolve(directory)).ConfigureAwait(false));
    }

    public string PrometheusMetrics() => ClusterMetrics.Render(_workers.Values.ToList(), _jobs.Values.ToList());

    public void Dispose()
    {
        _disposed = true;
        foreach (var j in _jobs.Values) j.Cancel();
        _listener.Stop();
        foreach (var w in _workers.Values) w.MarkDead();
        foreach (var code in _jobCode.Values) code.Dispose();
    }
}
