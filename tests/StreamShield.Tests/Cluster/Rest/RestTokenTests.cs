using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using StreamShield.Cluster.Rest;

namespace StreamShield.Tests.Cluster.Rest;

public sealed class RestTokenTests : IAsyncLifetime
{
    private const string Token = "s3cret-token";
    private readonly FakeClusterApi api = new();
    private readonly List<string> logs = [];
    private WebApplication? server;
    private string url = "";

    public Task InitializeAsync()
    {
        server = RestServer.Start(api, "127.0.0.1", 0, Token, logs.Add);
        url = RestServer.UrlOf(server);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
    }

    [Theory]
    [InlineData("/api/v1/overview")]
    [InlineData("/api/v1/jobs")]
    [InlineData("/api/v1/artifacts/artifact-1")]
    [InlineData("/api/v1/openapi.json")]
    [InlineData("/metrics")]
    [InlineData("/api/v1/no-such-endpoint")]
    public async Task Requests_without_or_with_a_wrong_token_are_401(string path)
    {
        foreach (var header in new[] { null, "Bearer wrong", "Bearer " + Token + "x", "Basic " + Token, Token })
        {
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            if (header is not null) http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("missing or wrong cluster token: pass --token", json.RootElement.GetProperty("error").GetString());
        }
        using var post = new HttpClient { BaseAddress = new Uri(url) };
        using var cancel = await post.PostAsync("/api/v1/jobs/job-1/cancel", null);
        Assert.Equal(HttpStatusCode.Unauthorized, cancel.StatusCode);
        Assert.Empty(api.Canceled);
    }

    [Theory]
    [InlineData("/api/v1/overview")]
    [InlineData("/api/v1/jobs")]
    [InlineData("/api/v1/openapi.json")]
    [InlineData("/metrics")]
    public async Task Requests_with_the_token_pass(string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(logs, l => l.Contains(Token));
    }

    [Fact]
    public async Task Rest_client_sends_the_token()
    {
        using var good = new RestClient(url, Token);
        Assert.Equal("1.2.3", (await good.OverviewAsync()).Version);
        Assert.Contains("streamshield_jobs_running 1", await good.MetricsAsync());

        using var bad = new RestClient(url, null);
        var e = await Assert.ThrowsAsync<StreamShield.Cluster.Model.ClusterRequestException>(() => bad.JobsAsync());
        Assert.Equal(401, e.StatusCode);
        Assert.Equal("missing or wrong cluster token: pass --token", e.Message);
    }
}
