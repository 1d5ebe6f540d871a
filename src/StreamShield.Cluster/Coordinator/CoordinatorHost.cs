using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using StreamShield.Cluster.Rest;

namespace StreamShield.Cluster.Coordinator;

/// <summary>Options of a coordinator process (`streamshield coordinator`).</summary>
public sealed record CoordinatorOptions(
    string CheckpointDir,
    string DataDir,
    int Port = 6123,
    int RestPort = 8081,
    string BindHost = "127.0.0.1",
    string? Token = null,
    string? InfoFile = null,
    double HeartbeatTimeoutSeconds = 2,
    double SlotTimeoutSeconds = 60,
    string? SavepointDir = null,
    IReadOnlyList<string>? AllowedSavepointDirs = null);

/// <summary>
/// A coordinator process: the control port for workers, the REST API for clients, and the jobs. Once both ports
/// listen it writes the info file (REST URL, control port, pid) that `cluster start` and scripts wait for.
/// </summary>
internal sealed class CoordinatorHost : IDisposable
{
    private readonly WebApplication _rest;

    public CoordinatorHost(CoordinatorOptions options, Action<string>? log = null)
    {
        var logger = log ?? (m => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} coordinator: {m}"));
        Coordinator = new ClusterCoordinator(options.BindHost, options.Port, options.CheckpointDir, options.DataDir, options.Token,
            TimeSpan.FromSeconds(options.HeartbeatTimeoutSeconds), logger)
        {
            SlotTimeout = TimeSpan.FromSeconds(options.SlotTimeoutSeconds),
        };
        Coordinator.Savepoints = new SavepointTargets(options.SavepointDir ?? Path.Combine(Path.GetFullPath(options.CheckpointDir), "savepoints"), options.AllowedSavepointDirs);
        try
        {
            _rest = RestServer.Start(Coordinator, options.BindHost, options.RestPort, options.Token, logger);
        }
        catch
        {
            Coordinator.Dispose();
            throw;
        }
        RestUrl = RestServer.UrlOf(_rest);
        Coordinator.RestUrl = RestUrl;
        logger($"control port {options.BindHost}:{Coordinator.ControlPort}; REST API {RestUrl}{(options.Token is null ? "" : " (token required)")}");
        if (options.InfoFile is { } info)
        {
            var temp = info + ".tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(new { restUrl = RestUrl, controlPort = Coordinator.ControlPort, pid = Environment.ProcessId }));
            File.Move(temp, info, overwrite: true);
        }
    }

    public ClusterCoordinator Coordinator { get; }
    public string RestUrl { get; }
    public int ControlPort => Coordinator.ControlPort;

    public void Dispose()
    {
        Coordinator.Dispose();
        _rest.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
