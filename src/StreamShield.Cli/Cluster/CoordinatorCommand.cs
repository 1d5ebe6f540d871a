using System.CommandLine;
using System.Runtime.InteropServices;
using StreamShield.Cluster.Coordinator;

namespace StreamShield.Cli.Cluster;

/// <summary>`streamshield coordinator`: runs the cluster's coordinator process until SIGTERM or Ctrl+C.</summary>
internal static class CoordinatorCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Control port workers connect to (0 picks a free one).", DefaultValueFactory = _ => 6123 };
        var restPort = new Option<int>("--rest-port") { Description = "Port of the REST API and /metrics (0 picks a free one).", DefaultValueFactory = _ => 8081 };
        var bind = new Option<string>("--bind") { Description = "Address to listen on. Loopback by default; use 0.0.0.0 to accept other machines (set --token then).", DefaultValueFactory = _ => "127.0.0.1" };
        var checkpointDir = new Option<string>("--checkpoint-dir") { Description = "Checkpoint storage shared with the workers (a local path or a shared mount); one subdirectory per job.", Required = true };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where uploaded job artifacts are kept (default: <checkpoint-dir>/../coordinator)." };
        var token = new Option<string?>("--token") { Description = "Cluster token: workers, CLI calls and REST requests without it are refused. Prefer the STREAMSHIELD_TOKEN environment variable: a command-line value is visible to other users in `ps`." };
        var infoFile = new Option<string?>("--info-file") { Description = "Write {restUrl, controlPort, pid} as JSON to this file once listening." };
        var heartbeat = new Option<double>("--heartbeat-timeout") { Description = "Seconds without a heartbeat after which a worker is declared lost (hung or cut off).", DefaultValueFactory = _ => 2 };
        var slotTimeout = new Option<double>("--slot-timeout") { Description = "Seconds a job waits for enough free slots (at submission or after losing a worker) before it fails.", DefaultValueFactory = _ => 60 };
        var savepointDir = new Option<string?>("--savepoint-dir") { Description = "Savepoint root: savepoints asked for without a directory go here, and a relative directory resolves under it (default: <checkpoint-dir>/savepoints)." };
        var allowSavepointDir = new Option<string[]>("--allow-savepoint-dir") { Description = "An absolute directory outside the savepoint root where REST callers may also have savepoints written (repeatable). Others are refused.", AllowMultipleArgumentsPerToken = false };
        var command = new Command("coordinator", "Run the cluster coordinator: accepts jobs, schedules them onto worker slots, coordinates checkpoints, handles failures, serves the REST API.")
        {
            port, restPort, bind, checkpointDir, dataDir, token, infoFile, heartbeat, slotTimeout, savepointDir, allowSavepointDir,
        };
        command.SetAction(r =>
        {
            var checkpoints = Path.GetFullPath(r.GetValue(checkpointDir)!);
            var options = new CoordinatorOptions(checkpoints, r.GetValue(dataDir) ?? Path.Combine(Path.GetDirectoryName(checkpoints) ?? checkpoints, "coordinator"),
                r.GetValue(port), r.GetValue(restPort), r.GetValue(bind)!, r.GetValue(token) ?? Environment.GetEnvironmentVariable("STREAMSHIELD_TOKEN"),
                r.GetValue(infoFile), r.GetValue(heartbeat), r.GetValue(slotTimeout),
                r.GetValue(savepointDir) is { } sp ? Path.GetFullPath(sp) : null, [.. (r.GetValue(allowSavepointDir) ?? []).Select(Path.GetFullPath)]);
            using var stop = new CancellationTokenSource();
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
            using var host = new CoordinatorHost(options);
            Console.WriteLine($"Coordinator running: REST API {host.RestUrl}, control port {host.ControlPort}");
            stop.Token.WaitHandle.WaitOne();
            Console.Error.WriteLine("Coordinator stopping");
            return 0;
        });
        return command;
    }
}
