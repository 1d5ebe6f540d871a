using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using StreamShield.Cluster.Model;
using StreamShield.Cluster.Rest;

namespace StreamShield.Tests.Cluster.Rest;

public sealed class RestServerTests : IAsyncLifetime
{
    private readonly FakeClusterApi api = new();
    private WebApplication? server;
    private HttpClient http = null!;

    public Task InitializeAsync()
    {
        server = RestServer.Start(api, "127.0.0.1", 0, token: null);
        http = new HttpClient { BaseAddress = new Uri(RestServer.UrlOf(server)) };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        if (server is not null) await server.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Json)> GetJson(string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    [Fact]
    public void Url_is_loopback_with_the_bound_port()
    {
        var uri = new Uri(RestServer.UrlOf(server!));
        Assert.Equal("127.0.0.1", uri.Host);
        Assert.NotEqual(0, uri.Port);
    }

    [Fact]
    public async Task Overview_is_camel_case_json()
    {
        var (status, json) = await GetJson("/api/v1/overview");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("1.2.3", json.GetProperty("version").GetString());
        Assert.Equal(2, json.GetProperty("workers").GetInt32());
        Assert.Equal(8, json.GetProperty("slotsTotal").GetInt32());
        Assert.Equal(3, json.GetProperty("slotsFree").GetInt32());
        Assert.Equal(1, json.GetProperty("jobsRunning").GetInt32());
        Assert.Equal(4, json.GetProperty("jobsFinished").GetInt32());
        Assert.Equal(1, json.GetProperty("jobsCanceled").GetInt32());
        Assert.Equal(FakeClusterApi.Start, json.GetProperty("startTime").GetDateTimeOffset());
    }

    [Fact]
    public async Task Workers_and_jobs_are_arrays()
    {
        var (_, workers) = await GetJson("/api/v1/workers");
        Assert.Equal(2, workers.GetArrayLength());
        Assert.Equal("worker-2", workers[1].GetProperty("id").GetString());
        Assert.Equal(7002, workers[1].GetProperty("dataPort").GetInt32());
        Assert.Equal(80, workers[1].GetProperty("heartbeatAgeMs").GetInt64());
        Assert.Equal(98_765_432, workers[1].GetProperty("memoryBytes").GetInt64());

        var (_, jobs) = await GetJson("/api/v1/jobs");
        var job = Assert.Single(jobs.EnumerateArray());
        Assert.Equal("job-1", job.GetProperty("id").GetString());
        Assert.Equal("Running", job.GetProperty("status").GetString());
        Assert.Equal(12.5, job.GetProperty("durationSeconds").GetDouble());
        Assert.Equal(7, job.GetProperty("checkpointsCompleted").GetInt64());
        Assert.Equal(900, job.GetProperty("recordsOut").GetInt64());
    }

    [Fact]
    public async Task Job_detail_checkpoints_timeline_and_exceptions()
    {
        var (status, detail) = await GetJson("/api/v1/jobs/job-1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("wordcount", detail.GetProperty("summary").GetProperty("name").GetString());
        Assert.Equal("artifact-1", detail.GetProperty("artifactId").GetString());
        Assert.Equal("--lines", detail.GetProperty("args")[0].GetString());
        var subtask = detail.GetProperty("vertices")[0].GetProperty("subtasks")[0];
        Assert.Equal(250.5, subtask.GetProperty("busyMsPerSecond").GetDouble());
        Assert.Equal(12.25, subtask.GetProperty("backpressuredMsPerSecond").GetDouble());
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("failure").ValueKind);

        var (_, checkpoints) = await GetJson("/api/v1/jobs/job-1/checkpoints");
        Assert.Equal(2, checkpoints.GetArrayLength());
        Assert.Equal(2048, checkpoints[0].GetProperty("sizeBytes").GetInt64());
        Assert.True(checkpoints[1].GetProperty("isSavepoint").GetBoolean());
        Assert.Equal("declined", checkpoints[1].GetProperty("failure").GetString());

        var (_, timeline) = await GetJson("/api/v1/jobs/job-1/timeline");
        Assert.Equal("Restart", timeline[0].GetProperty("kind").GetString());

        var (_, exceptions) = await GetJson("/api/v1/jobs/job-1/exceptions");
        Assert.Equal("Map (1/2)", exceptions[0].GetProperty("subtask").GetString());
        Assert.Equal("boom", exceptions[0].GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("/api/v1/jobs/nope")]
    [InlineData("/api/v1/jobs/nope/checkpoints")]
    [InlineData("/api/v1/jobs/nope/timeline")]
    [InlineData("/api/v1/jobs/nope/exceptions")]
    [InlineData("/api/v1/artifacts/nope")]
    [InlineData("/api/v1/no-such-endpoint")]
    public async Task Unknown_things_are_404_with_an_error(string path)
    {
        var (status, json) = await GetJson(path);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("no", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Cancel_answers_202_or_404()
    {
        using var ok = await http.PostAsync("/api/v1/jobs/job-1/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        Assert.Equal(["job-1"], api.Canceled);
        using var missing = await http.PostAsync("/api/v1/jobs/nope/cancel", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Cluster_request_exception_is_400_with_its_message()
    {
        using var response = await http.PostAsync("/api/v1/jobs",
            new StringContent("""{"artifactId":"other"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unknown artifact other", json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Invalid_json_is_400()
    {
        using var response = await http.PostAsync("/api/v1/jobs", new StringContent("{not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("not valid JSON", json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Other_exceptions_are_500_without_stack_trace()
    {
        var logs = new List<string>();
        await using var logged = RestServer.Start(api, "127.0.0.1", 0, null, logs.Add);
        using var client = new HttpClient { BaseAddress = new Uri(RestServer.UrlOf(logged)) };
        using var response = await client.GetAsync("/api/v1/jobs/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        Assert.Equal("internal detail", json.RootElement.GetProperty("error").GetString());
        Assert.DoesNotContain(" at ", body);
        Assert.Contains(logs, l => l.Contains("internal detail"));
    }

    [Fact]
    public async Task Submit_answers_201_with_the_job_id()
    {
        using var response = await http.PostAsync("/api/v1/jobs",
            new StringContent("""{"artifactId":"artifact-1","entryClass":"X","args":["a","b"],"parallelism":3,"fromSavepoint":"/sp"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("job-2", json.RootElement.GetProperty("jobId").GetString());
        var request = Assert.Single(api.Submitted);
        Assert.Equal("X", request.EntryClass);
        Assert.Equal(["a", "b"], request.Args);
        Assert.Equal(3, request.Parallelism);
        Assert.Equal("/sp", request.FromSavepoint);
    }

    [Fact]
    public async Task Savepoint_body_is_optional()
    {
        using var withDir = await http.PostAsync("/api/v1/jobs/job-1/savepoints",
            new StringContent("""{"directory":"/sps"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, withDir.StatusCode);
        using var json = JsonDocument.Parse(await withDir.Content.ReadAsStringAsync());
        Assert.Equal(Path.Combine("/sps", "savepoint-1"), json.RootElement.GetProperty("location").GetString());

        using var without = await http.PostAsync("/api/v1/jobs/job-1/savepoints", null);
        Assert.Equal(HttpStatusCode.OK, without.StatusCode);
        using var stop = await http.PostAsync("/api/v1/jobs/job-1/stop", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Equal([("job-1", "/sps", false), ("job-1", null, false), ("job-1", null, true)], api.Savepoints);
    }

    [Fact]
    public async Task Artifacts_upload_and_download()
    {
        var zip = new byte[] { (byte)'P', (byte)'K', 3, 4, 5, 6 };
        var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var upload = await http.PostAsync("/api/v1/artifacts", content);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        using (var json = JsonDocument.Parse(await upload.Content.ReadAsStringAsync()))
        {
            Assert.Equal("artifact-1", json.RootElement.GetProperty("id").GetString());
            Assert.Equal(6, json.RootElement.GetProperty("sizeBytes").GetInt64());
            Assert.Equal("StreamShield.Examples.WordCountJob", json.RootElement.GetProperty("entryClasses")[0].GetString());
        }
        Assert.Equal(zip, api.UploadedBytes);

        using var notZip = await http.PostAsync("/api/v1/artifacts", new ByteArrayContent([1, 2, 3, 4]));
        Assert.Equal(HttpStatusCode.BadRequest, notZip.StatusCode);

        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, zip);
            api.ArtifactFile = file;
            using var download = await http.GetAsync("/api/v1/artifacts/artifact-1");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal(zip, await download.Content.ReadAsByteArrayAsync());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Metrics_are_prometheus_text()
    {
        using var response = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        Assert.Equal(api.PrometheusMetrics(), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Openapi_document_lists_the_paths_and_schemas()
    {
        var (status, json) = await GetJson("/api/v1/openapi.json");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("3.", json.GetProperty("openapi").GetString());
        var paths = json.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] expected =
        [
            "/api/v1/overview", "/api/v1/workers", "/api/v1/jobs", "/api/v1/jobs/{id}", "/api/v1/jobs/{id}/checkpoints",
            "/api/v1/jobs/{id}/timeline", "/api/v1/jobs/{id}/exceptions", "/api/v1/artifacts", "/api/v1/artifacts/{id}",
            "/api/v1/jobs/{id}/cancel", "/api/v1/jobs/{id}/savepoints", "/api/v1/jobs/{id}/stop", "/metrics",
        ];
        foreach (var path in expected) Assert.Contains(path, paths);
        Assert.True(json.GetProperty("paths").GetProperty("/api/v1/jobs").TryGetProperty("post", out _));
        var schemas = json.GetProperty("components").GetProperty("schemas");
        var summary = schemas.GetProperty("JobSummary").GetProperty("properties");
        Assert.Equal("integer", summary.GetProperty("recordsIn").GetProperty("type").GetString());
        Assert.Equal("date-time", summary.GetProperty("startTime").GetProperty("format").GetString());
        var checkpoint = schemas.GetProperty("CheckpointInfo").GetProperty("properties");
        Assert.True(checkpoint.GetProperty("durationMs").GetProperty("nullable").GetBoolean());
        Assert.Equal("array", schemas.GetProperty("JobDetail").GetProperty("properties").GetProperty("vertices").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_json_body_over_its_limit_is_refused_with_413_before_it_is_buffered()
    {
        var big = new string(' ', (int)RestServer.MaxJsonBodyBytes) + "{\"artifactId\": \"artifact-1\"}";
        using var response = await http.PostAsync("/api/v1/jobs", new StringContent(big, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(api.Submitted); // the coordinator never saw it
    }

    [Fact]
    public async Task An_artifact_upload_may_exceed_the_json_limit_up_to_its_own()
    {
        var zip = new byte[RestServer.MaxJsonBodyBytes * 3];
        zip[0] = (byte)'P';
        zip[1] = (byte)'K';
        using (var content = new ByteArrayContent(zip))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            using var accepted = await http.PostAsync("/api/v1/artifacts", content);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }
        Assert.Equal(zip.Length, api.UploadedBytes?.Length);
    }
}
