using StreamShield.Cluster.Model;

namespace StreamShield.Tests.Cluster.Rest;

/// <summary>An <see cref="IClusterApi"/> with canned answers that records what it was asked.</summary>
internal sealed class FakeClusterApi : IClusterApi
{
    public static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public ClusterOverview OverviewValue { get; } = new("1.2.3", 2, 8, 3, 1, 4, 0, 1, Start);

    public List<WorkerInfo> WorkerList { get; } =
    [
        new("worker-1", 1001, "127.0.0.1", 7001, 4, 1, 120, "1.2.3", 123_456_789, Start),
        new("worker-2", 1002, "127.0.0.1", 7002, 4, 2, 80, "1.2.3", 98_765_432, Start),
    ];

    public List<JobSummary> JobList { get; } = [new("job-1", "wordcount", "Running", Start, 12.5, 2, 1, 7, 1000, 900)];

    public List<SubmitRequest> Submitted { get; } = [];
    public List<string> Canceled { get; } = [];
    public List<(string JobId, string? Directory, bool Stop)> Savepoints { get; } = [];
    public byte[]? UploadedBytes { get; private set; }
    public string? ArtifactFile { get; set; }

    public ClusterOverview Overview() => OverviewValue;
    public IReadOnlyList<WorkerInfo> Workers() => WorkerList;
    public IReadOnlyList<JobSummary> Jobs() => JobList;

    public JobDetail? Job(string jobId) => jobId switch
    {
        "job-1" => new JobDetail(JobList[0], "artifact-1", "StreamShield.Examples.WordCountJob", ["--lines", "10"],
            [new VertexInfo(1, "Source -> Map", 2, [new SubtaskInfo(0, "Running", "worker-1", 10, 9, 0, 250.5, 12.25), new SubtaskInfo(1, "Running", null, 11, 8, 3, 0, 0)])],
            null),
        "boom" => throw new InvalidOperationException("internal detail"),
        _ => null,
    };

    public IReadOnlyList<CheckpointInfo>? Checkpoints(string jobId) => jobId == "job-1"
        ? [new CheckpointInfo(1, "Completed", false, Start, 12.5, 2048, "/tmp/chk-1", null), new CheckpointInfo(2, "Failed", true, Start, null, null, null, "declined")]
        : null;

    public IReadOnlyList<TimelineEvent>? Timeline(string jobId) => jobId == "job-1" ? [new TimelineEvent(Start, "Restart", "restarted after failure")] : null;

    public IReadOnlyList<ExceptionInfo>? Exceptions(string jobId) => jobId == "job-1" ? [new ExceptionInfo(Start, "Map (1/2)", "worker-1", "boom")] : null;

    public ArtifactInfo UploadArtifact(Stream zip)
    {
        using var memory = new MemoryStream();
        zip.CopyTo(memory);
        UploadedBytes = memory.ToArray();
        if (UploadedBytes.Length < 4 || UploadedBytes[0] != (byte)'P' || UploadedBytes[1] != (byte)'K')
            throw new ClusterRequestException("artifact is not a zip");
        return new ArtifactInfo("artifact-1", UploadedBytes.Length, ["StreamShield.Examples.WordCountJob"]);
    }

    public string? ArtifactPath(string artifactId) => artifactId == "artifact-1" ? ArtifactFile : null;

    public SubmitResponse Submit(SubmitRequest request)
    {
        if (request.ArtifactId != "artifact-1") throw new ClusterRequestException($"unknown artifact {request.ArtifactId}");
        if (request.Parallelism is <= 0) throw new ClusterRequestException("parallelism must be positive");
        Submitted.Add(request);
        return new SubmitResponse("job-2");
    }

    public bool Cancel(string jobId)
    {
        if (jobId != "job-1") return false;
        Canceled.Add(jobId);
        return true;
    }

    public async Task<SavepointResponse> TriggerSavepoint(string jobId, string? directory)
    {
        await Task.Yield();
        if (jobId != "job-1") throw new ClusterRequestException($"no job {jobId}", 404);
        Savepoints.Add((jobId, directory, false));
        return new SavepointResponse(Path.Combine(directory ?? "/default", "savepoint-1"));
    }

    public async Task<SavepointResponse> StopWithSavepoint(string jobId, string? directory)
    {
        await Task.Yield();
        if (jobId != "job-1") throw new ClusterRequestException($"no job {jobId}", 404);
        Savepoints.Add((jobId, directory, true));
        return new SavepointResponse(Path.Combine(directory ?? "/default", "savepoint-2"));
    }

    public string PrometheusMetrics() => "# TYPE streamshield_jobs_running gauge\nstreamshield_jobs_running 1\n";
}
