using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using StreamShield.Cluster.Model;
using StreamShield.Cluster.Rest;

namespace StreamShield.Tests.Cluster.Rest;

public sealed class RestClientTests : IAsyncLifetime
{
    private readonly FakeClusterApi api = new();
    private WebApplication? server;
    private RestClient client = null!;

    public Task InitializeAsync()
    {
        server = RestServer.Start(api, "127.0.0.1", 0, token: null);
        client = new RestClient(RestServer.UrlOf(server), token: null);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        if (server is not null) await server.DisposeAsync();
    }

    [Fact]
    public async Task Gets_round_trip_the_records()
    {
        Assert.Equal(api.OverviewValue, await client.OverviewAsync());
        Assert.Equal(api.WorkerList, await client.WorkersAsync());
        Assert.Equal(api.JobList, await client.JobsAsync());

        var detail = await client.JobAsync("job-1");
        var expected = api.Job("job-1")!;
        Assert.Equal(expected.Summary, detail.Summary);
        Assert.Equal(expected.Args, detail.Args);
        Assert.Equal(expected.Vertices[0].Subtasks, detail.Vertices[0].Subtasks);
        Assert.Equal(api.Checkpoints("job-1"), await client.CheckpointsAsync("job-1"));
        Assert.Equal(api.Timeline("job-1"), await client.TimelineAsync("job-1"));
        Assert.Equal(api.Exceptions("job-1"), await client.ExceptionsAsync("job-1"));
    }

    [Fact]
    public async Task Errors_carry_the_server_message_and_status()
    {
        var bad = await Assert.ThrowsAsync<ClusterRequestException>(() => client.SubmitAsync(new SubmitRequest("artifact-1", Parallelism: 0)));
        Assert.Equal(400, bad.StatusCode);
        Assert.Equal("parallelism must be positive", bad.Message);

        var missing = await Assert.ThrowsAsync<ClusterRequestException>(() => client.JobAsync("nope"));
        Assert.Equal(404, missing.StatusCode);
        Assert.Equal("no job nope", missing.Message);

        var cancel = await Assert.ThrowsAsync<ClusterRequestException>(() => client.CancelAsync("nope"));
        Assert.Equal(404, cancel.StatusCode);

        var savepoint = await Assert.ThrowsAsync<ClusterRequestException>(() => client.TriggerSavepointAsync("nope", null));
        Assert.Equal(404, savepoint.StatusCode);
    }

    [Fact]
    public async Task Submit_cancel_and_savepoints()
    {
        var response = await client.SubmitAsync(new SubmitRequest("artifact-1", "Entry", ["x"], 2, "/sp"));
        Assert.Equal("job-2", response.JobId);
        Assert.Equal(new SubmitRequest("artifact-1", "Entry", null, 2, "/sp"), Assert.Single(api.Submitted) with { Args = null });

        await client.CancelAsync("job-1");
        Assert.Equal(["job-1"], api.Canceled);

        Assert.Equal(Path.Combine("/d", "savepoint-1"), (await client.TriggerSavepointAsync("job-1", "/d")).Location);
        Assert.Equal(Path.Combine("/default", "savepoint-2"), (await client.StopWithSavepointAsync("job-1", null)).Location);
        Assert.Equal([("job-1", "/d", false), ("job-1", null, true)], api.Savepoints);
    }

    [Fact]
    public async Task Artifacts_upload_and_download()
    {
        var dir = Directory.CreateTempSubdirectory("streamshield-rest-").FullName;
        try
        {
            var zip = Path.Combine(dir, "job.zip");
            byte[] bytes = [(byte)'P', (byte)'K', 1, 2, 3];
            await File.WriteAllBytesAsync(zip, bytes);
            var info = await client.UploadArtifactAsync(zip);
            Assert.Equal("artifact-1", info.Id);
            Assert.Equal(bytes.Length, info.SizeBytes);
            Assert.Equal(bytes, api.UploadedBytes);

            api.ArtifactFile = zip;
            var target = Path.Combine(dir, "downloaded", "a.zip");
            client.DownloadArtifact("artifact-1", target);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(target));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(target)!));

            var e = await Assert.ThrowsAsync<ClusterRequestException>(() => client.DownloadArtifactAsync("nope", target));
            Assert.Equal(404, e.StatusCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Unreachable_coordinator_names_the_url()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        using var offline = new RestClient($"http://127.0.0.1:{port}", null);
        var e = await Assert.ThrowsAsync<ClusterRequestException>(() => offline.JobsAsync());
        Assert.Contains($"http://127.0.0.1:{port}", e.Message);
        Assert.Contains("cannot reach the coordinator", e.Message);
        Assert.Equal(503, e.StatusCode); // the CLI adds how to start or name a coordinator
    }
}
