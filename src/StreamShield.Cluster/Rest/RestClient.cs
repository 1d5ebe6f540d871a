using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using StreamShield.Cluster.Model;

namespace StreamShield.Cluster.Rest;

/// <summary>
/// A typed client of the coordinator's REST API (<see cref="RestServer"/>), used by the CLI and by workers to
/// download artifacts. Every failure surfaces as a <see cref="ClusterRequestException"/>: the server's error
/// message and status code, or (status 503) a message naming the URL when the coordinator cannot be reached.
/// </summary>
internal sealed class RestClient : IDisposable
{
    private readonly HttpClient http;

    /// <summary>Creates a client of the coordinator at <paramref name="baseUrl"/> (e.g. <c>http://127.0.0.1:8081</c>), sending <paramref name="token"/> as bearer token if not null.</summary>
    public RestClient(string baseUrl, string? token, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseUrl);
        if (!baseUrl.Contains("://", StringComparison.Ordinal)) baseUrl = "http://" + baseUrl;
        if (!Uri.TryCreate(baseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"'{baseUrl}' is not a coordinator URL like http://127.0.0.1:8081.");
        BaseUrl = uri.ToString().TrimEnd('/');
        // Savepoints can take a while; the default is generous, callers may shorten it.
        http = new HttpClient { BaseAddress = uri, Timeout = timeout ?? TimeSpan.FromMinutes(10) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>The coordinator's base URL, without a trailing slash.</summary>
    public string BaseUrl { get; }

    /// <summary>GET /api/v1/overview.</summary>
    public Task<ClusterOverview> OverviewAsync(CancellationToken ct = default) => GetAsync<ClusterOverview>("api/v1/overview", ct);

    /// <summary>GET /api/v1/workers.</summary>
    public Task<IReadOnlyList<WorkerInfo>> WorkersAsync(CancellationToken ct = default) => GetAsync<IReadOnlyList<WorkerInfo>>("api/v1/workers", ct);

    /// <summary>GET /api/v1/jobs.</summary>
    public Task<IReadOnlyList<JobSummary>> JobsAsync(CancellationToken ct = default) => GetAsync<IReadOnlyList<JobSummary>>("api/v1/jobs", ct);

    /// <summary>GET /api/v1/jobs/{id}; throws (404) if there is no such job.</summary>
    public Task<JobDetail> JobAsync(string jobId, CancellationToken ct = default) => GetAsync<JobDetail>($"api/v1/jobs/{Escape(jobId)}", ct);

    /// <summary>GET /api/v1/jobs/{id}/checkpoints.</summary>
    public Task<IReadOnlyList<CheckpointInfo>> CheckpointsAsync(string jobId, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<CheckpointInfo>>($"api/v1/jobs/{Escape(jobId)}/checkpoints", ct);

    /// <summary>GET /api/v1/jobs/{id}/timeline.</summary>
    public Task<IReadOnlyList<TimelineEvent>> TimelineAsync(string jobId, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<TimelineEvent>>($"api/v1/jobs/{Escape(jobId)}/timeline", ct);

    /// <summary>GET /api/v1/jobs/{id}/exceptions.</summary>
    public Task<IReadOnlyList<ExceptionInfo>> ExceptionsAsync(string jobId, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<ExceptionInfo>>($"api/v1/jobs/{Escape(jobId)}/exceptions", ct);

    /// <summary>GET /metrics: the Prometheus text.</summary>
    public Task<string> MetricsAsync(CancellationToken ct = default) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "metrics"), r => r.Content.ReadAsStringAsync(ct), ct);

    /// <summary>POST /api/v1/artifacts with the zip at <paramref name="zipPath"/> as body.</summary>
    public Task<ArtifactInfo> UploadArtifactAsync(string zipPath, CancellationToken ct = default) =>
        SendAsync(() =>
        {
            var content = new StreamContent(File.OpenRead(zipPath));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            return new HttpRequestMessage(HttpMethod.Post, "api/v1/artifacts") { Content = content };
        }, r => ReadJsonAsync<ArtifactInfo>(r, ct), ct);

    /// <summary>GET /api/v1/artifacts/{id}: downloads the artifact's zip to <paramref name="targetPath"/> (written to a temporary file first, then moved).</summary>
    public Task DownloadArtifactAsync(string artifactId, string targetPath, CancellationToken ct = default) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"api/v1/artifacts/{Escape(artifactId)}"), async r =>
        {
            var full = Path.GetFullPath(targetPath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var temp = full + $".{Guid.NewGuid():N}.part";
            try
            {
                await using (var file = File.Create(temp)) await r.Content.CopyToAsync(file, ct);
                File.Move(temp, full, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }
            return true;
        }, ct, HttpCompletionOption.ResponseHeadersRead);

    /// <summary>Synchronous <see cref="DownloadArtifactAsync"/>.</summary>
    public void DownloadArtifact(string artifactId, string targetPath) => DownloadArtifactAsync(artifactId, targetPath).GetAwaiter().GetResult();

    /// <summary>POST /api/v1/jobs.</summary>
    public Task<SubmitResponse> SubmitAsync(SubmitRequest request, CancellationToken ct = default) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "api/v1/jobs") { Content = JsonContent.Create(request, options: RestServer.JsonOptions) },
            r => ReadJsonAsync<SubmitResponse>(r, ct), ct);

    /// <summary>POST /api/v1/jobs/{id}/cancel; throws (404) if there is no such running job.</summary>
    public Task CancelAsync(string jobId, CancellationToken ct = default) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"api/v1/jobs/{Escape(jobId)}/cancel"), _ => Task.FromResult(true), ct);

    /// <summary>POST /api/v1/jobs/{id}/savepoints: triggers a savepoint (into <paramref name="directory"/>, or the coordinator's default) and waits for it.</summary>
    public Task<SavepointResponse> TriggerSavepointAsync(string jobId, string? directory, CancellationToken ct = default) =>
        PostDirectoryAsync($"api/v1/jobs/{Escape(jobId)}/savepoints", directory, ct);

    /// <summary>POST /api/v1/jobs/{id}/stop: takes a savepoint and stops the job.</summary>
    public Task<SavepointResponse> StopWithSavepointAsync(string jobId, string? directory, CancellationToken ct = default) =>
        PostDirectoryAsync($"api/v1/jobs/{Escape(jobId)}/stop", directory, ct);

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    private Task<SavepointResponse> PostDirectoryAsync(string path, string? directory, CancellationToken ct) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = JsonContent.Create(new RestServer.DirectoryRequest(directory), options: RestServer.JsonOptions),
        }, r => ReadJsonAsync<SavepointResponse>(r, ct), ct);

    private Task<T> GetAsync<T>(string path, CancellationToken ct) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), r => ReadJsonAsync<T>(r, ct), ct);

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private async Task<T> SendAsync<T>(Func<HttpRequestMessage> createRequest, Func<HttpResponseMessage, Task<T>> read, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = createRequest();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException e)
        {
            throw new ClusterRequestException($"cannot reach the coordinator at {BaseUrl} ({e.Message})", 503);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ClusterRequestException($"the coordinator at {BaseUrl} did not answer {request.Method} /{request.RequestUri} within {http.Timeout.TotalSeconds:0} s", 504);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode) throw await ErrorOf(response, ct);
            return await read(response);
        }
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(RestServer.JsonOptions, ct)
                   ?? throw new ClusterRequestException($"the coordinator answered {response.RequestMessage?.RequestUri} with an empty body", 502);
        }
        catch (JsonException e)
        {
            throw new ClusterRequestException($"the coordinator answered {response.RequestMessage?.RequestUri} with unexpected JSON: {e.Message}", 502);
        }
    }

    private static async Task<ClusterRequestException> ErrorOf(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(ct);
        }
        catch (HttpRequestException)
        {
            body = "";
        }
        string? message = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error))
                message = error.ToString();
        }
        catch (JsonException)
        {
            // Not our JSON error body (a proxy, another server): fall back to the text.
        }
        message ??= body.Length is > 0 and <= 500 ? body.Trim() : $"{status} {response.ReasonPhrase ?? ((HttpStatusCode)status).ToString()}";
        return new ClusterRequestException(message, status);
    }
}
