using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using StreamShield.Cluster.Rest;

namespace StreamShield.Chaos.Cluster;

/// <summary>
/// A cluster started with `streamshield cluster start` in its own directory (the coordinator and workers as real
/// processes), stopped with `cluster stop` and its processes killed if still alive on dispose. Used by the chaos
/// harness and the cluster bench. Its command line (given to <see cref="Start"/>) is how to run the CLI (the apphost, or dotnet and
/// streamshield.dll).
/// </summary>
internal sealed class LocalCluster : IDisposable
{
    private readonly IReadOnlyList<string> _streamshield;
    private readonly Action<string> _log;

    private LocalCluster(IReadOnlyList<string> streamshield, string dir, string restUrl, int coordinatorPid, IReadOnlyList<int> workerPids, Action<string> log)
    {
        _streamshield = streamshield;
        _log = log;
        Dir = dir;
        RestUrl = restUrl;
        CoordinatorPid = coordinatorPid;
        WorkerPids = workerPids;
        Client = new RestClient(restUrl, Environment.GetEnvironmentVariable("STREAMSHIELD_TOKEN") is { Length: > 0 } t ? t : null, TimeSpan.FromSeconds(30));
    }

    public string Dir { get; }
    public string RestUrl { get; }
    public int CoordinatorPid { get; }
    /// <summary>The workers' pids in start order (worker-1 first).</summary>
    public IReadOnlyList<int> WorkerPids { get; }
    public RestClient Client { get; }

    /// <summary>Starts a cluster in <paramref name="dir"/>; tries three times (`cluster start` stops what it started when it fails).</summary>
    public static LocalCluster Start(IReadOnlyList<string> streamshield, string dir, int workers, int slots, Action<string> log)
    {
        Directory.CreateDirectory(dir);
        var (code, output) = (0, "");
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            (code, output) = Run(streamshield, ["cluster", "start", "--workers", workers.ToString(CultureInfo.InvariantCulture), "--dir", dir,
                "--slots", slots.ToString(CultureInfo.InvariantCulture), "--rest-port", "0", "--json"]);
            if (code == 0) break;
            log($"cluster start failed ({code}), attempt {attempt} of 3: {output}");
        }
        if (code != 0) throw new InvalidOperationException($"cluster start failed ({code}): {output}");
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var root = json.RootElement;
        var cluster = new LocalCluster(streamshield, dir, root.GetProperty("restUrl").GetString()!, root.GetProperty("coordinatorPid").GetInt32(),
            [.. root.GetProperty("workerPids").EnumerateArray().Select(p => p.GetInt32())], log);
        log($"cluster started in {dir}: coordinator pid {cluster.CoordinatorPid}, workers {string.Join(", ", cluster.WorkerPids)}");
        return cluster;
    }

    /// <summary>True if <paramref name="pid"/> is still a live streamshield process (not a zombie, not a reused pid).</summary>
    public static bool IsOurs(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z' && File.ReadAllText($"/proc/{pid}/cmdline").Contains("streamshield", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static (int Code, string Output) Run(IReadOnlyList<string> streamshield, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(streamshield[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in streamshield.Skip(1).Concat(args)) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Cannot start streamshield.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
    }

    public void Dispose()
    {
        Client.Dispose();
        var (code, output) = Run(_streamshield, ["cluster", "stop", "--dir", Dir]);
        if (code != 0) _log($"cluster stop in {Dir} failed ({code}): {output}");
        foreach (var pid in WorkerPids.Prepend(CoordinatorPid))
            if (IsOurs(pid))
            {
                _log($"pid {pid} still alive after cluster stop: kill -9");
                Signals.Send(pid, Signals.Kill);
            }
    }
}
