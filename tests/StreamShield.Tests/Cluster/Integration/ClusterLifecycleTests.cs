using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using StreamShield.Cluster.Control;
using StreamShield.Cluster.Model;
using StreamShield.Cluster.Rest;
using StreamShield.Cluster.Transport;
using StreamShield.Examples;
using StreamShield.Serialization;

namespace StreamShield.Tests.Cluster.Integration;

/// <summary>One token-protected cluster of real processes shared by the lifecycle, security and bad-input tests.</summary>
public sealed class SecuredClusterFixture : IDisposable
{
    public const string Token = "s3cret-test-token";

    internal LocalClusterProcesses Cluster { get; } = new("secured", workers: 2, slots: 2, token: Token);

    public void Dispose() => Cluster.Dispose();
}

[Collection(nameof(ClusterProcessesCollection))]
public sealed class ClusterLifecycleTests(SecuredClusterFixture fixture) : IClassFixture<SecuredClusterFixture>
{
    private LocalClusterProcesses Cluster => fixture.Cluster;

    [Fact]
    public void Job_is_submitted_cancelled_and_resubmitted_and_slots_come_back()
    {
        var args = new[] { "--events", "1000000000", "--rate", "50000", "--output", Path.Combine(Cluster.Directory, "lifecycle") };
        for (var round = 0; round < 2; round++)
        {
            var job = Cluster.Submit(typeof(WindowedCountsJob), args, parallelism: 2, checkpointIntervalMs: 500);
            Cluster.WaitUntil(() => Cluster.Job(job).Summary is { Status: "Running", RecordsIn: > 0 }, TimeSpan.FromSeconds(60), $"job {job} to process records (round {round})");
            Assert.Equal(2, Cluster.Overview() is var o ? o.SlotsTotal - o.SlotsFree : -1);
            Cluster.Cancel(job);
            Cluster.WaitUntil(() => Cluster.Job(job).Summary.Status == "Canceled", TimeSpan.FromSeconds(30), $"job {job} to be cancelled");
            Cluster.WaitUntil(() => Cluster.Overview() is { SlotsFree: 4 }, TimeSpan.FromSeconds(30), "all slots to be free again");
            // A cancelled job keeps the counts of what it did (they used to drop to 0 with its attempt).
            Assert.True(Cluster.Job(job).Summary.RecordsIn > 0, $"records in of cancelled job {job}: {Cluster.Job(job).Summary.RecordsIn}");
        }
        var jobs = Cluster.Jobs();
        Assert.True(jobs.Count(j => j.Status == "Canceled") >= 2);
    }

    [Fact]
    public async Task Rest_calls_without_the_token_get_401()
    {
        using var http = new HttpClient();
        foreach (var path in new[] { "/api/v1/overview", "/api/v1/jobs", "/metrics" })
        {
            var response = await http.GetAsync(Cluster.RestUrl + path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using var wrong = new HttpRequestMessage(HttpMethod.Get, Cluster.RestUrl + "/api/v1/workers");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, Cluster.RestUrl + "/metrics");
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SecuredClusterFixture.Token);
        var metrics = await http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("streamshield_workers 2", await metrics.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Worker_without_the_token_is_refused_at_registration()
    {
        var worker = Cluster.StartWorker(1, token: null);
        Assert.True(worker.WaitForExit(30_000), "the refused worker should exit");
        Assert.Equal(3, worker.ExitCode);
        Assert.Contains("wrong cluster token", Cluster.Logs());
        Assert.Equal(2, Cluster.Workers().Count);
    }

    [Fact]
    public void Worker_of_another_engine_version_is_refused_with_both_versions_named()
    {
        using var connection = FrameConnection.Connect("127.0.0.1", Cluster.ControlPort, "test", TimeSpan.FromSeconds(5));
        connection.Send((byte)ControlType.Register, new RegisterMessage("worker-test-old", "0.0.1-old", SecuredClusterFixture.Token, 1, "127.0.0.1", 1, 1).Encode());
        var (type, payload) = connection.ReadOne(TimeSpan.FromSeconds(10));
        Assert.Equal(ControlType.Refused, (ControlType)type);
        var reason = SimpleMessage.Decode(new DataInput(payload), ControlType.Refused).Text!;
        Assert.Contains("0.0.1-old", reason);
        Assert.Contains(EngineVersion.Current, reason);
    }

    [Fact]
    public void Garbage_on_the_control_port_closes_that_connection_only()
    {
        foreach (var garbage in new[] { "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), new byte[] { 255, 255, 255, 127, 1, 2, 3 }, new byte[] { 9, 0, 0, 0, 1, 1, 2 } })
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(IPAddress.Loopback, Cluster.ControlPort);
            socket.Send(garbage);
            socket.Shutdown(SocketShutdown.Send); // the last one is a truncated frame: its sender went away mid-frame
            socket.ReceiveTimeout = 20_000;
            var buffer = new byte[256];
            int n;
            try
            {
                n = socket.Receive(buffer); // the coordinator closes the connection: 0 bytes (or a reset)
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                n = 0;
            }
            Assert.Equal(0, n);
        }
        Assert.Equal(2, Cluster.Workers().Count);
        Assert.Contains("closed control connection", Cluster.Logs());
    }

    [Fact]
    public async Task A_file_that_is_not_a_job_is_rejected_at_submission_with_the_reason()
    {
        var zip = Path.Combine(Cluster.Directory, "not-a-job.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(archive.CreateEntry("job.dll").Open());
            writer.Write("this is not an assembly");
        }
        var error = await Assert.ThrowsAsync<ClusterRequestException>(() => Cluster.Client.UploadArtifactAsync(zip));
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("not a .NET assembly", error.Message);
        var before = Cluster.Jobs().Count;
        var unknown = await Assert.ThrowsAsync<ClusterRequestException>(() => Cluster.Client.SubmitAsync(new SubmitRequest("0123456789abcdef")));
        Assert.Equal(404, unknown.StatusCode);
        Assert.Equal(before, Cluster.Jobs().Count);
    }
}
