using System.Diagnostics;
using System.Text;
using System.Text.Json;
using StreamShield.Cluster.Model;
using StreamShield.Cluster.Packaging;
using StreamShield.Cluster.Rest;

namespace StreamShield.Tests.Cluster.Integration;

/// <summary>
/// A coordinator and workers as real OS processes (the built `streamshield` CLI) on loopback, in a temporary
/// directory. Every process started is killed on dispose, also when a test fails; logs are kept for failure messages.
/// </summary>
internal sealed class LocalClusterProcesses : IDisposable
{
    private readonly List<(string Name, Process Process, StringBuilder Log)> _processes = new();
    private readonly TempDirectory _dir;

    public LocalClusterProcesses(string name, int workers, int slots, string? token = null, double heartbeatTimeoutSeconds = 2)
    {
        _dir = new TempDirectory($"cluster-{name}");
        Token = token;
        try
        {
            var info = _dir.Sub("coordinator.json");
            var args = new List<string> { "coordinator", "--port", "0", "--rest-port", "0", "--checkpoint-dir", _dir.Sub("checkpoints"), "--data-dir", _dir.Sub("coordinator"),
                "--info-file", info, "--heartbeat-timeout", heartbeatTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (token is not null) args.AddRange(["--token", token]);
            Start("coordinator", args);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!File.Exists(info))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"The coordinator did not start within 30 s.\n{Logs()}");
                Thread.Sleep(50);
            }
            using var doc = JsonDocument.Parse(File.ReadAllText(info));
            RestUrl = doc.RootElement.GetProperty("restUrl").GetString()!;
            ControlPort = doc.RootElement.GetProperty("controlPort").GetInt32();
            Client = new RestClient(RestUrl, token);
            for (var k = 0; k < workers; k++) StartWorker(slots, token);
            WaitUntil(() => Client.WorkersAsync().GetAwaiter().GetResult().Count == workers, TimeSpan.FromSeconds(30), $"{workers} workers to register");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string RestUrl { get; } = "";
    public int ControlPort { get; }
    public string? Token { get; }
    public RestClient Client { get; } = null!;
    public string Directory => _dir.Path;

    /// <summary>The CLI built next to the tests (./test.sh builds the whole solution first).</summary>
    public static string CliPath
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "StreamShield.sln"))) dir = dir.Parent;
            if (dir is null) throw new InvalidOperationException("Cannot find the repository root (StreamShield.sln) above the test binaries.");
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
            var cli = Path.Combine(dir.FullName, "src", "StreamShield.Cli", "bin", configuration, "net10.0", "streamshield.dll");
            if (!File.Exists(cli)) throw new InvalidOperationException($"'{cli}' does not exist: build the solution first (./test.sh does).");
            return cli;
        }
    }

    /// <summary>Starts one more worker process; returns it.</summary>
    public Process StartWorker(int slots, string? token)
    {
        var k = _processes.Count(p => p.Name.StartsWith("worker", StringComparison.Ordinal)) + 1;
        var args = new List<string> { "worker", "--coordinator", $"127.0.0.1:{ControlPort}", "--slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture), "--work-dir", _dir.Sub($"worker-{k}") };
        if (token is not null) args.AddRange(["--token", token]);
        return Start($"worker-{k}", args);
    }

    public Process Start(string name, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(CliPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("STREAMSHIELD_TOKEN");
        var log = new StringBuilder();
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_processes) _processes.Add((name, process, log));
        return process;
    }

    /// <summary>The process of the worker with this id (ids are "worker-PID-suffix").</summary>
    public static int PidOf(string workerId) => int.Parse(workerId.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture);

    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid}") { UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {pid} failed");
    }

    /// <summary>Uploads the examples assembly with <paramref name="entryClass"/> and submits it.</summary>
    public string Submit(Type entryClass, IReadOnlyList<string> args, int parallelism, long? checkpointIntervalMs, IReadOnlyDictionary<string, string>? configuration = null)
    {
        using var packed = JobPackager.Pack(entryClass.Assembly.Location, entryClass.FullName);
        var artifact = Client.UploadArtifactAsync(packed.ZipPath).GetAwaiter().GetResult();
        return Client.SubmitAsync(new SubmitRequest(artifact.Id, entryClass.FullName, args, parallelism, null, checkpointIntervalMs, configuration)).GetAwaiter().GetResult().JobId;
    }

    public JobDetail Job(string id) => Client.JobAsync(id).GetAwaiter().GetResult();
    public ClusterOverview Overview() => Client.OverviewAsync().GetAwaiter().GetResult();
    public IReadOnlyList<WorkerInfo> Workers() => Client.WorkersAsync().GetAwaiter().GetResult();
    public IReadOnlyList<JobSummary> Jobs() => Client.JobsAsync().GetAwaiter().GetResult();
    public IReadOnlyList<TimelineEvent> Timeline(string id) => Client.TimelineAsync(id).GetAwaiter().GetResult();
    public IReadOnlyList<ExceptionInfo> Exceptions(string id) => Client.ExceptionsAsync(id).GetAwaiter().GetResult();
    public void Cancel(string id) => Client.CancelAsync(id).GetAwaiter().GetResult();

    public void WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.\n{Logs()}");
            Thread.Sleep(50);
        }
    }

    public string Logs()
    {
        var sb = new StringBuilder();
        lock (_processes)
            foreach (var (name, process, log) in _processes)
            {
                sb.Append("---- ").Append(name).Append(" (pid ").Append(SafePid(process)).Append(") ----\n");
                lock (log) sb.Append(log.Length > 6000 ? log.ToString(log.Length - 6000, 6000) : log.ToString());
            }
        return sb.ToString();
    }

    private static string SafePid(Process p)
    {
        try { return p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture); }
        catch (InvalidOperationException) { return "?"; }
    }

    public void Dispose()
    {
        lock (_processes)
            foreach (var (_, process, _) in _processes)
            {
                try
                {
                    if (!process.HasExited) process.Kill(entireProcessTree: true); // SIGKILL also ends a SIGSTOPped process
                    process.WaitForExit(5000);
                }
                catch (InvalidOperationException) { }
                process.Dispose();
            }
        Client?.Dispose();
        _dir.Dispose();
    }
}
