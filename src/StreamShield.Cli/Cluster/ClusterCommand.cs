using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using StreamShield.Cluster.Model;
using StreamShield.Cluster.Rest;

namespace StreamShield.Cli.Cluster;

/// <summary>
/// `streamshield cluster start|stop`: a local cluster of one coordinator and N worker processes running in the
/// background (detached, logs in the cluster directory), and stopping it again.
/// </summary>
internal static class ClusterCommand
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    public static Command Create() => new("cluster", "Start or stop a local cluster (a coordinator and worker processes in the background).")
    {
        Start(),
        Stop(),
    };

    private static Command Start()
    {
        var workers = new Option<int>("--workers", "-n") { Description = "Number of worker processes.", DefaultValueFactory = _ => 2 };
        var dir = new Option<string>("--dir") { Description = "Cluster directory: logs, coordinator data, checkpoints, worker directories and cluster.json.", Required = true };
        var slots = new Option<int>("--slots") { Description = "Task slots per worker.", DefaultValueFactory = _ => 4 };
        var token = new Option<string?>("--token") { Description = $"Cluster token the coordinator requires and workers present (default: the {ClusterClientOptions.TokenVariable} environment variable, which keeps it out of `ps`; none if unset). The processes get it through their environment, never their command line." };
        var allowSavepointDir = new Option<string[]>("--allow-savepoint-dir") { Description = "An absolute directory outside DIR/savepoints where savepoints may also be written (repeatable; passed to the coordinator).", AllowMultipleArgumentsPerToken = false };
        var restPort = new Option<int?>("--rest-port") { Description = $"Port of the REST API (default: {DefaultRestPort} when free, so clients find the cluster without options; else any free port)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object {\"restUrl\", \"coordinatorPid\", \"workerPids\"} instead of the REST URL." };
        var command = new Command("start", "Start a coordinator and N workers in the background, wait until all workers registered, and print the REST URL.")
        {
            workers, dir, slots, token, restPort, allowSavepointDir, json,
        };
        command.SetAction(r => RunStart(r.GetValue(workers), r.GetValue(dir)!, r.GetValue(slots), ClusterClientOptions.ResolveToken(r.GetValue(token)),
            r.GetValue(restPort), r.GetValue(allowSavepointDir) ?? [], r.GetValue(json)));
        return command;
    }

    private static Command Stop()
    {
        var dir = new Option<string>("--dir") { Description = "Cluster directory given to `cluster start` (holds cluster.json).", Required = true };
        var command = new Command("stop", "Stop the cluster started in a directory: SIGTERM to the coordinator and every worker of it (also workers started later or left behind by a dead coordinator), SIGKILL after 5 s.") { dir };
        command.SetAction(r => RunStop(r.GetValue(dir)!));
        return command;
    }

    /// <summary>The file in the cluster directory that names the cluster's processes and REST URL.</summary>
    internal const string ClusterFileName = "cluster.json";

    /// <summary>Contents of DIR/cluster.json.</summary>
    internal sealed record ClusterFile(string RestUrl, int CoordinatorPid, IReadOnlyList<int> WorkerPids);

    /// <summary>Contents of DIR/coordinator.json, written by the coordinator once it listens.</summary>
    internal sealed record CoordinatorInfo(string RestUrl, int ControlPort, int Pid);

    /// <summary>The REST port clients try when told nothing else (Flink's too).</summary>
    private const int DefaultRestPort = 8081;

    private static int RunStart(int workerCount, string dirOption, int slots, string? token, int? restPortOption, string[] allowSavepointDirs, bool json)
    {
        if (restPortOption is < 0 or > 65535) throw new ArgumentException($"--rest-port must be a port number from 0 to 65535, not {restPortOption}.");
        var restPort = restPortOption ?? (PortIsFree(DefaultRestPort) ? DefaultRestPort : 0);
        if (workerCount < 1) throw new ArgumentException($"--workers must be at least 1, not {workerCount}.");
        if (slots < 1) throw new ArgumentException($"--slots must be at least 1, not {slots}.");
        var dir = Path.GetFullPath(dirOption);
        // Only the owner may read what the cluster writes here (logs, checkpoints, job artifacts).
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dir);
        else Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var clusterFile = Path.Combine(dir, ClusterFileName);
        if (ReadClusterFile(clusterFile) is { } existing && AllPids(existing).Any(IsAlive))
            throw new ArgumentException($"A cluster is already running in {dir} (pids {string.Join(", ", AllPids(existing).Where(IsAlive))}); stop it with `streamshield cluster stop --dir {dirOption}`.");

        var infoFile = Path.Combine(dir, "coordinator.json");
        File.Delete(infoFile);
        File.Delete(clusterFile);
        // The token reaches the processes through their environment (/proc/PID/environ is readable by the owner only),
        // never their command line, which every user can read with ps.
        var started = new List<(string Name, Process Process, string Log)>();
        try
        {
            var coordinatorLog = Path.Combine(dir, "coordinator.log");
            started.Add(("coordinator", Launch(
            [
                "coordinator", "--port", "0", "--rest-port", restPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--checkpoint-dir", Path.Combine(dir, "checkpoints"),
                "--data-dir", Path.Combine(dir, "coordinator"), "--info-file", infoFile, "--savepoint-dir", Path.Combine(dir, "savepoints"),
                .. allowSavepointDirs.SelectMany(a => new[] { "--allow-savepoint-dir", Path.GetFullPath(a) }),
            ], coordinatorLog, token), coordinatorLog));

            var info = WaitFor(() => ReadCoordinatorInfo(infoFile), started, "the coordinator to write coordinator.json");
            if (info is null) return Fail(started);

            for (var k = 1; k <= workerCount; k++)
            {
                var log = Path.Combine(dir, $"worker-{k}.log");
                started.Add(($"worker-{k}", Launch(
                [
                    "worker", "--coordinator", $"127.0.0.1:{info.ControlPort}", "--slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--work-dir", Path.Combine(dir, $"worker-{k}"),
                ], log, token), log));
            }

            using var rest = new RestClient(info.RestUrl, token, TimeSpan.FromSeconds(5));
            var registered = WaitFor(() =>
            {
                try
                {
                    return rest.WorkersAsync().GetAwaiter().GetResult().Count >= workerCount ? "ok" : null;
                }
                catch (ClusterRequestException e) when (e.StatusCode is 503 or 504)
                {
                    return null;
                }
            }, started, $"{workerCount} worker(s) to register at {info.RestUrl}");
            if (registered is null) return Fail(started);

            var cluster = new ClusterFile(info.RestUrl, started[0].Process.Id, [.. started.Skip(1).Select(s => s.Process.Id)]);
            File.WriteAllText(clusterFile, JsonSerializer.Serialize(cluster, ClusterClientOptions.Json));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(clusterFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Console.WriteLine(json ? JsonSerializer.Serialize(cluster, ClusterClientOptions.Json) : cluster.RestUrl);
            if (!json)
            {
                Console.Error.WriteLine($"Cluster started: coordinator pid {cluster.CoordinatorPid}, workers pids {string.Join(", ", cluster.WorkerPids)}; logs in {dir}.");
                Console.Error.WriteLine(cluster.RestUrl.TrimEnd('/') == ClusterClientOptions.DefaultCoordinator
                    ? "Client commands (submit, jobs, ...) find it at the default URL."
                    : $"Client commands find it with --dir {dirOption} (or --coordinator {cluster.RestUrl}, or {ClusterClientOptions.CoordinatorVariable}={cluster.RestUrl}).");
                Console.Error.WriteLine($"Stop it with: streamshield cluster stop --dir {dirOption}");
            }
            return 0;
        }
        catch
        {
            Terminate(started.Select(s => s.Process.Id).ToList(), quiet: true);
            throw;
        }
        finally
        {
            foreach (var (_, process, _) in started) process.Dispose();
        }
    }

    /// <summary>True if nothing listens on <paramref name="port"/> of the loopback address (a later bind may still lose a race).</summary>
    private static bool PortIsFree(int port)
    {
        try
        {
            var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>Polls <paramref name="probe"/> every 100 ms until it answers non-null, a started process exits, or the start timeout passes.</summary>
    private static T? WaitFor<T>(Func<T?> probe, List<(string Name, Process Process, string Log)> started, string what) where T : class
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (probe() is { } result) return result;
            if (started.FirstOrDefault(s => s.Process.HasExited) is { Process: not null } dead)
            {
                Console.Error.WriteLine($"error: {dead.Name} exited with code {dead.Process.ExitCode} while waiting for {what}.");
                return null;
            }
            if (DateTime.UtcNow > deadline)
            {
                Console.Error.WriteLine($"error: timed out after {StartTimeout.TotalSeconds:0} s waiting for {what}.");
                return null;
            }
            Thread.Sleep(100);
        }
    }

    private static int Fail(List<(string Name, Process Process, string Log)> started)
    {
        foreach (var (name, _, log) in started)
        {
            Console.Error.WriteLine($"--- last lines of {log} ({name}) ---");
            foreach (var line in Tail(log, 20)) Console.Error.WriteLine(line);
        }
        Terminate(started.Select(s => s.Process.Id).ToList(), quiet: true);
        return 1;
    }

    private static IEnumerable<string> Tail(string path, int lines)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var queue = new Queue<string>();
            while (reader.ReadLine() is { } line)
            {
                queue.Enqueue(line);
                if (queue.Count > lines) queue.Dequeue();
            }
            return queue.ToList();
        }
        catch (IOException)
        {
            return ["(no log)"];
        }
    }

    /// <summary>
    /// Starts this executable with <paramref name="arguments"/> detached from the CLI: in its own session (setsid), stdin
    /// from /dev/null, stdout and stderr into <paramref name="log"/>. The shell execs, so the returned process is the
    /// streamshield process itself.
    /// </summary>
    private static Process Launch(IReadOnlyList<string> arguments, string log, string? token)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("`cluster start` runs processes in the background through /bin/sh; on Windows start `streamshield coordinator` and `streamshield worker` yourself.");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = Environment.CurrentDirectory };
        if (token is null) start.Environment.Remove(ClusterClientOptions.TokenVariable);
        else start.Environment[ClusterClientOptions.TokenVariable] = token;
        // $1 is the log; the rest is the command line. setsid (new session, no controlling terminal: Ctrl+C and a closing
        // terminal do not reach the cluster) when available, else ignore SIGHUP and SIGINT like nohup.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("""
            log="$1"; shift
            umask 077
            exec </dev/null >"$log" 2>&1
            if command -v setsid >/dev/null 2>&1; then exec setsid "$@"; fi
            trap '' HUP INT
            exec "$@"
            """);
        start.ArgumentList.Add("streamshield-launch");
        start.ArgumentList.Add(log);
        foreach (var argument in SelfCommandLine().Concat(arguments)) start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {string.Join(' ', arguments.Take(1))}.");
    }

    /// <summary>How to run this CLI again: the apphost itself, or `dotnet streamshield.dll` when run through dotnet.</summary>
    internal static IReadOnlyList<string> SelfCommandLine()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell the path of the running executable.");
        if (Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            var dll = Assembly.GetEntryAssembly()?.Location;
            if (string.IsNullOrEmpty(dll)) throw new InvalidOperationException("Cannot tell the path of streamshield.dll.");
            return [process, dll];
        }
        return [process];
    }

    private static CoordinatorInfo? ReadCoordinatorInfo(string path)
    {
        try
        {
            if (!File.Exists(path)) return null;
            var info = JsonSerializer.Deserialize<CoordinatorInfo>(File.ReadAllText(path), ClusterClientOptions.Json);
            return info is { RestUrl.Length: > 0, ControlPort: > 0 } ? info : null;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null; // Being written: try again.
        }
    }

    internal static ClusterFile? ReadClusterFile(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<ClusterFile>(File.ReadAllText(path), ClusterClientOptions.Json) : null;
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{path} is not a cluster file: {e.Message}");
        }
    }

    private static IEnumerable<int> AllPids(ClusterFile cluster) => cluster.WorkerPids.Prepend(cluster.CoordinatorPid);

    private static int RunStop(string dirOption)
    {
        var dir = Path.GetFullPath(dirOption);
        var clusterFile = Path.Combine(dir, ClusterFileName);
        var cluster = ReadClusterFile(clusterFile)
                      ?? throw new FileNotFoundException($"{clusterFile} does not exist: no cluster was started with --dir {dirOption}.");
        var pids = AllPids(cluster).ToList();
        // Workers the cluster gained after it started (registered with its coordinator, or still trying to reach it).
        foreach (var pid in OtherWorkers(cluster, dir))
            if (!pids.Contains(pid))
            {
                pids.Add(pid);
                cluster = cluster with { WorkerPids = [.. cluster.WorkerPids, pid] };
            }
        var alive = pids.Where(IsAlive).ToList();
        foreach (var pid in alive.Where(pid => !IsStreamShield(pid)).ToList())
        {
            Console.Error.WriteLine($"pid {pid} ({Role(cluster, pid)}) is now another program (the cluster process ended and its pid was reused): leaving it alone");
            alive.Remove(pid);
            pids.Remove(pid);
        }
        Terminate(alive, quiet: false);
        foreach (var pid in pids.Except(alive)) Console.WriteLine($"pid {pid} ({Role(cluster, pid)}) was not running");
        foreach (var pid in alive) Console.WriteLine($"stopped {Role(cluster, pid)} (pid {pid})");
        File.Delete(clusterFile);
        return 0;
    }

    /// <summary>
    /// Worker processes of this cluster that cluster.json does not name: those registered with its coordinator (asked
    /// over REST, if it answers) and, on Linux, every worker process pointed at its control port (found in /proc).
    /// </summary>
    private static IEnumerable<int> OtherWorkers(ClusterFile cluster, string dir)
    {
        var found = new HashSet<int>();
        try
        {
            using var rest = new RestClient(cluster.RestUrl, ClusterClientOptions.ResolveToken(null), TimeSpan.FromSeconds(3));
            foreach (var w in rest.WorkersAsync().GetAwaiter().GetResult()) found.Add(w.Pid);
        }
        catch (ClusterRequestException)
        {
            // The coordinator is gone or refuses: /proc still tells.
        }
        if (OperatingSystem.IsLinux() && ReadCoordinatorInfo(Path.Combine(dir, "coordinator.json")) is { } info)
        {
            var address = $"127.0.0.1:{info.ControlPort}";
            foreach (var proc in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(proc), out var pid)) continue;
                try
                {
                    var args = File.ReadAllText(Path.Combine(proc, "cmdline")).Split('\0');
                    var at = Array.IndexOf(args, "--coordinator");
                    if (args.Contains("worker") && at >= 0 && at + 1 < args.Length && args[at + 1] == address) found.Add(pid);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The process ended meanwhile, or is not ours to read.
                }
            }
        }
        found.Remove(Environment.ProcessId);
        return found;
    }

    private static string Role(ClusterFile cluster, int pid) =>
        pid == cluster.CoordinatorPid ? "coordinator" : $"worker-{cluster.WorkerPids.ToList().IndexOf(pid) + 1}";

    /// <summary>SIGTERM to every pid, SIGKILL to those still alive after the grace period, then waits for them to end.</summary>
    private static void Terminate(IReadOnlyList<int> pids, bool quiet)
    {
        foreach (var pid in pids) Signal(pid, kill: false);
        var deadline = DateTime.UtcNow + StopGrace;
        while (pids.Any(IsAlive) && DateTime.UtcNow < deadline) Thread.Sleep(100);
        foreach (var pid in pids.Where(IsAlive))
        {
            if (!quiet) Console.Error.WriteLine($"pid {pid} did not stop within {StopGrace.TotalSeconds:0} s of SIGTERM: killing it");
            Signal(pid, kill: true);
        }
        deadline = DateTime.UtcNow + StopGrace;
        while (pids.Any(IsAlive) && DateTime.UtcNow < deadline) Thread.Sleep(100);
        foreach (var pid in pids.Where(IsAlive)) Console.Error.WriteLine($"warning: pid {pid} is still running");
    }

    private const int SIGTERM = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);

    private static void Signal(int pid, bool kill)
    {
        if (!kill && !OperatingSystem.IsWindows())
        {
            try
            {
                SysKill(pid, SIGTERM);
                return;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // Fall back to Kill below.
            }
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>False if <paramref name="pid"/> is certainly not a coordinator or worker (its command line, where /proc tells it).</summary>
    private static bool IsStreamShield(int pid)
    {
        if (!OperatingSystem.IsLinux()) return true;
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return arguments.Contains("coordinator") || arguments.Contains("worker");
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>True if <paramref name="pid"/> runs (zombies count as ended).</summary>
    private static bool IsAlive(int pid)
    {
        if (pid <= 0) return false;
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
                return state is not ('Z' or 'X' or default(char));
            }
            catch (IOException)
            {
                return false;
            }
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
