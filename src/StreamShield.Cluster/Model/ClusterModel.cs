namespace StreamShield.Cluster.Model;

// The coordinator's view of the cluster as the REST API and the CLI see it. JSON property names come from these
// records (camelCase); keep them stable, they are the REST contract.

/// <summary>Cluster overview: GET /api/v1/overview.</summary>
public sealed record ClusterOverview(string Version, int Workers, int SlotsTotal, int SlotsFree, int JobsRunning, int JobsFinished, int JobsFailed, int JobsCanceled, DateTimeOffset StartTime);

/// <summary>
/// A registered worker: GET /api/v1/workers. <c>JobCodeContexts</c> counts the job code load contexts still in
/// memory (loaded jobs plus unloaded ones not yet collected): it returns to 0 when no job runs there.
/// </summary>
public sealed record WorkerInfo(string Id, int Pid, string Host, int DataPort, int Slots, int SlotsFree, long HeartbeatAgeMs, string Version, long MemoryBytes, DateTimeOffset RegisteredAt, int JobCodeContexts = 0);

/// <summary>A job in the job list: GET /api/v1/jobs.</summary>
public sealed record JobSummary(string Id, string Name, string Status, DateTimeOffset StartTime, double DurationSeconds, int Parallelism, int Restarts, long CheckpointsCompleted, long RecordsIn, long RecordsOut);

/// <summary>One job with its vertices and subtasks: GET /api/v1/jobs/{id}.</summary>
public sealed record JobDetail(JobSummary Summary, string ArtifactId, string EntryClass, IReadOnlyList<string> Args, IReadOnlyList<VertexInfo> Vertices, string? Failure);

/// <summary>A vertex (a chain of operators) of a running job.</summary>
public sealed record VertexInfo(int Id, string Name, int Parallelism, IReadOnlyList<SubtaskInfo> Subtasks);

/// <summary>A subtask: where it runs and what it does. Busy and backpressured are milliseconds per second over the last report interval.</summary>
public sealed record SubtaskInfo(int Index, string State, string? WorkerId, long RecordsIn, long RecordsOut, int Backlog, double BusyMsPerSecond, double BackpressuredMsPerSecond);

/// <summary>A checkpoint or savepoint of a job: GET /api/v1/jobs/{id}/checkpoints.</summary>
public sealed record CheckpointInfo(long Id, string Status, bool IsSavepoint, DateTimeOffset TriggerTime, double? DurationMs, long? SizeBytes, string? Location, string? Failure);

/// <summary>An event of the job's timeline: GET /api/v1/jobs/{id}/timeline. <c>Detail</c>: a failure's whole exception.</summary>
public sealed record TimelineEvent(DateTimeOffset Time, string Kind, string Message, string? Detail = null);

/// <summary>
/// A failure of the job: GET /api/v1/jobs/{id}/exceptions. <c>Message</c> is the one-line summary; for a subtask
/// that threw, <c>ExceptionType</c> is the exception's full type name and <c>StackTrace</c> the whole exception as
/// .NET prints it (type, message, stack, inner exceptions), as Flink's exception history shows it.
/// </summary>
public sealed record ExceptionInfo(DateTimeOffset Time, string? Subtask, string? WorkerId, string Message, string? ExceptionType = null, string? StackTrace = null);

/// <summary>Uploaded job artifact: POST /api/v1/artifacts answers this.</summary>
public sealed record ArtifactInfo(string Id, long SizeBytes, IReadOnlyList<string> EntryClasses);

/// <summary>
/// Body of POST /api/v1/jobs. <c>CheckpointIntervalMs</c> enables periodic checkpoints if the job's code did not;
/// <c>Configuration</c> entries are added to the job's configuration (e.g. <c>failover.strategy = region</c>).
/// </summary>
public sealed record SubmitRequest(string ArtifactId, string? EntryClass = null, IReadOnlyList<string>? Args = null, int? Parallelism = null, string? FromSavepoint = null,
    long? CheckpointIntervalMs = null, IReadOnlyDictionary<string, string>? Configuration = null);

/// <summary>Answer of POST /api/v1/jobs.</summary>
public sealed record SubmitResponse(string JobId);

/// <summary>Answer of savepoint and stop-with-savepoint calls.</summary>
public sealed record SavepointResponse(string Location);

/// <summary>A request the coordinator refuses (bad artifact, unknown job, invalid parameters): REST answers 400 or 404 with the message.</summary>
public sealed class ClusterRequestException(string message, int statusCode = 400) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>
/// What the REST API and in-process callers can ask of the coordinator. Implemented by the coordinator; the REST
/// layer only translates HTTP to these calls.
/// </summary>
internal interface IClusterApi
{
    ClusterOverview Overview();
    IReadOnlyList<WorkerInfo> Workers();
    IReadOnlyList<JobSummary> Jobs();

    /// <summary>Null if no such job.</summary>
    JobDetail? Job(string jobId);
    IReadOnlyList<CheckpointInfo>? Checkpoints(string jobId);
    IReadOnlyList<TimelineEvent>? Timeline(string jobId);
    IReadOnlyList<ExceptionInfo>? Exceptions(string jobId);

    /// <summary>Stores and validates an uploaded artifact (a zip of the job's directory). Throws <see cref="ClusterRequestException"/> with the reason if it is not a job.</summary>
    ArtifactInfo UploadArtifact(Stream zip);

    /// <summary>Path of a stored artifact's zip, for workers to download; null if unknown.</summary>
    string? ArtifactPath(string artifactId);

    /// <summary>Validates and starts a job. Throws <see cref="ClusterRequestException"/> with the reason if it cannot run; nothing is deployed then.</summary>
    SubmitResponse Submit(SubmitRequest request);

    /// <summary>False if no such job (or already ended).</summary>
    bool Cancel(string jobId);
    Task<SavepointResponse> TriggerSavepoint(string jobId, string? directory);
    Task<SavepointResponse> StopWithSavepoint(string jobId, string? directory);

    /// <summary>Prometheus text exposition format (version 0.0.4).</summary>
    string PrometheusMetrics();
}
