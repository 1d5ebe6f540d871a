using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamShield.Cluster.Model;

namespace StreamShield.Cluster.Rest;

/// <summary>
/// The coordinator's REST API: translates HTTP under <c>/api/v1</c> (plus <c>/metrics</c>) to <see cref="IClusterApi"/>
/// calls. Kestrel only, camelCase JSON, errors as <c>{"error": "..."}</c>, optional bearer token on every request.
/// </summary>
internal static class RestServer
{
    /// <summary>Prefix of all API paths.</summary>
    public const string ApiPrefix = "/api/v1";

    /// <summary>Content type of <c>GET /metrics</c> (Prometheus text exposition format).</summary>
    public const string MetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The answer to requests without the right token.</summary>
    public const string UnauthorizedMessage = "missing or wrong cluster token: pass --token";

    /// <summary>
    /// Largest request body of every endpoint but the artifact upload: JSON requests are small, and a request that is
    /// not is refused with 413 before it is read, so no caller can make the coordinator buffer gigabytes.
    /// </summary>
    public const long MaxJsonBodyBytes = 1L << 20;

    /// <summary>Largest job artifact upload (a zip of the job's directory), streamed to a temporary file, never to memory.</summary>
    public const long MaxArtifactBytes = 256L << 20;

    /// <summary>JSON options of the API (camelCase, the REST contract).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Starts the REST server and returns once it listens. <paramref name="port"/> 0 picks a free port: read the URL
    /// with <see cref="UrlOf"/>. Stop it with <c>StopAsync</c>/<c>DisposeAsync</c>. With a non-null
    /// <paramref name="token"/>, every request must carry <c>Authorization: Bearer &lt;token&gt;</c>.
    /// </summary>
    public static WebApplication Start(IClusterApi api, string host, int port, string? token, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        if (port is < 0 or > 65535) throw new ArgumentException($"REST port {port} is out of range (0-65535).");
        var address = ResolveHost(host);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.AddServerHeader = false;
            o.Limits.MaxRequestBodySize = MaxJsonBodyBytes; // the artifact upload raises its own
            o.Listen(address, port);
        });
        builder.Services.AddRoutingCore();
        // The process that embeds the server decides what SIGTERM/Ctrl+C do, not the web host's console lifetime.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.PropertyNameCaseInsensitive = true;
        });

        var app = builder.Build();
        app.Use(ErrorHandler(log));
        if (token is not null) app.Use(TokenCheck(token));
        app.UseRouting();
        MapEndpoints(app, api);

        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            if (Transport.PortInUseException.IsAddressInUse(e)) throw new Transport.PortInUseException("REST port", host, port, e);
            throw;
        }
        log?.Invoke($"REST API listening on {UrlOf(app)}{(token is null ? "" : " (token required)")}");
        return app;
    }

    /// <summary>The base URL a started server listens on, e.g. <c>http://127.0.0.1:40123</c> (wildcard hosts become 127.0.0.1).</summary>
    public static string UrlOf(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var url = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("The REST server is not listening.");
        var uri = new Uri(url);
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
        return $"{uri.Scheme}://{(host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host)}:{uri.Port}";
    }

    private static IPAddress ResolveHost(string host)
    {
        if (string.IsNullOrWhiteSpace(host) || host == "localhost") return IPAddress.Loopback;
        if (host is "*" or "+") return IPAddress.Any;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip)) return ip;
        try
        {
            return Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new ArgumentException($"REST host '{host}' has no address.");
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new ArgumentException($"Cannot resolve REST host '{host}': {e.Message}");
        }
    }

    private static void MapEndpoints(WebApplication app, IClusterApi api)
    {
        var v1 = app.MapGroup(ApiPrefix);
        v1.MapGet("/overview", () => Results.Json(api.Overview(), JsonOptions));
        v1.MapGet("/workers", () => Results.Json(api.Workers(), JsonOptions));
        v1.MapGet("/jobs", () => Results.Json(api.Jobs(), JsonOptions));
        v1.MapGet("/jobs/{id}", (string id) => OrNotFound(api.Job(id), id));
        v1.MapGet("/jobs/{id}/checkpoints", (string id) => OrNotFound(api.Checkpoints(id), id));
        v1.MapGet("/jobs/{id}/timeline", (string id) => OrNotFound(api.Timeline(id), id));
        v1.MapGet("/jobs/{id}/exceptions", (string id) => OrNotFound(api.Exceptions(id), id));

        v1.MapPost("/artifacts", async (HttpRequest request) =>
        {
            var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
            if (type is not (null or "" or "application/zip" or "application/octet-stream" or "application/x-zip-compressed"))
                return Error(StatusCodes.Status415UnsupportedMediaType, $"artifact upload needs the zip as body with content type application/zip or application/octet-stream, not {type}");
            if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = MaxArtifactBytes;
            // The API reads synchronously; Kestrel bodies are async only, so buffer the upload in a temporary file.
            var temp = Path.Combine(Path.GetTempPath(), $"streamshield-upload-{Guid.NewGuid():N}.zip");
            await using var buffer = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
                FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            if (buffer.Length == 0) return Error(StatusCodes.Status400BadRequest, "artifact upload is empty: send the job's zip as the request body");
            buffer.Position = 0;
            return Results.Json(api.UploadArtifact(buffer), JsonOptions);
        });
        v1.MapGet("/artifacts/{id}", (string id) =>
        {
            var path = api.ArtifactPath(id);
            if (path is null || !File.Exists(path)) return Error(StatusCodes.Status404NotFound, $"no artifact {id}");
            return Results.File(Path.GetFullPath(path), "application/zip", $"{id}.zip");
        });

        v1.MapPost("/jobs", async (HttpRequest request) =>
        {
            var submit = await ReadJson<SubmitRequest>(request)
                         ?? throw new ClusterRequestException("POST /api/v1/jobs needs a JSON body like {\"artifactId\": \"...\"}");
            if (string.IsNullOrWhiteSpace(submit.ArtifactId)) throw new ClusterRequestException("artifactId is required: upload the job with POST /api/v1/artifacts first");
            var response = api.Submit(submit);
            return Results.Json(response, JsonOptions, statusCode: StatusCodes.Status201Created);
        });
        v1.MapPost("/jobs/{id}/cancel", (string id) => api.Cancel(id)
            ? Results.Json(new { jobId = id }, JsonOptions, statusCode: StatusCodes.Status202Accepted)
            : Error(StatusCodes.Status404NotFound, $"no running job {id}"));
        v1.MapPost("/jobs/{id}/savepoints", async (string id, HttpRequest request) =>
        {
            var body = await ReadJson<DirectoryRequest>(request);
            return Results.Json(await api.TriggerSavepoint(id, body?.Directory), JsonOptions);
        });
        v1.MapPost("/jobs/{id}/stop", async (string id, HttpRequest request) =>
        {
            var body = await ReadJson<DirectoryRequest>(request);
            return Results.Json(await api.StopWithSavepoint(id, body?.Directory), JsonOptions);
        });

        v1.MapGet("/openapi.json", () => Results.Text(OpenApiDocument.Json, "application/json; charset=utf-8"));
        app.MapGet("/metrics", () => Results.Text(api.PrometheusMetrics(), MetricsContentType));
        app.MapFallback((HttpContext context) => Error(StatusCodes.Status404NotFound, $"no endpoint {context.Request.Method} {context.Request.Path}"));
    }

    private static IResult OrNotFound<T>(T? value, string jobId) where T : class =>
        value is null ? Error(StatusCodes.Status404NotFound, $"no job {jobId}") : Results.Json(value, JsonOptions);

    private static IResult Error(int status, string message) => Results.Json(new ErrorBody(message), JsonOptions, statusCode: status);

    /// <summary>Reads an optional JSON body: null if the body is empty; 400 if it is not valid JSON.</summary>
    private static async Task<T?> ReadJson<T>(HttpRequest request) where T : class
    {
        using var memory = new MemoryStream();
        await request.Body.CopyToAsync(memory, request.HttpContext.RequestAborted);
        if (memory.Length == 0 || memory.ToArray().All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return null;
        memory.Position = 0;
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(memory, JsonOptions, request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            throw new ClusterRequestException($"request body is not valid JSON: {e.Message}");
        }
    }

    private static Func<HttpContext, RequestDelegate, Task> ErrorHandler(Action<string>? log) => async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (ClusterRequestException e)
        {
            await WriteError(context, e.StatusCode is >= 400 and < 600 ? e.StatusCode : StatusCodes.Status400BadRequest, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            await WriteError(context, e.StatusCode, e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e)
        {
            log?.Invoke($"REST {context.Request.Method} {context.Request.Path} failed: {e.GetType().Name}: {e.Message}");
            await WriteError(context, StatusCodes.Status500InternalServerError, e.Message);
        }
    };

    private static async Task WriteError(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }
        context.Response.Clear();
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new ErrorBody(message), JsonOptions);
    }

    private static Func<HttpContext, RequestDelegate, Task> TokenCheck(string token)
    {
        // Compare hashes of the whole header value so that the comparison takes the same time whatever the length.
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes("Bearer " + token));
        return async (context, next) =>
        {
            var given = context.Request.Headers.Authorization.ToString();
            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), expected))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await WriteError(context, StatusCodes.Status401Unauthorized, UnauthorizedMessage);
                return;
            }
            await next(context);
        };
    }

    /// <summary>A host lifetime that leaves process signals alone: the server stops when its owner disposes it.</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Body of savepoint and stop requests.</summary>
    internal sealed record DirectoryRequest(string? Directory);

    /// <summary>Body of every error answer.</summary>
    internal sealed record ErrorBody(string Error);
}
