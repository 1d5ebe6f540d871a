using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using StreamShield.Sinks;
using StreamShield.Tests.Cluster.Integration;

namespace StreamShield.Tests.Cli;

/// <summary>
/// The CLI as Docker, Kubernetes and systemd treat it (SIGTERM), and its answers to a port that is taken and to a
/// compressed input file: one line naming the problem and the fix, a non-zero exit, no .NET stack trace.
/// </summary>
[Collection(nameof(ClusterProcessesCollection))]
public sealed class ProcessLifecycleCliTests : IDisposable
{
    private readonly TempDirectory _dir = new("cli-lifecycle");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Sigterm_takes_the_savepoint_on_exit_cancels_the_job_and_removes_its_temporary_directories()
    {
        // A private temp directory, so the test sees exactly what this process left behind.
        var tmp = _dir.Sub("tmp");
        Directory.CreateDirectory(tmp);
        var savepoints = _dir.Sub("savepoints");
        using var run = CliProcess.Start(["run", "windowed-counts", "-p", "2", "--checkpoint-interval", "500ms", "--savepoint-on-exit", savepoints,
            "--", "--events", "1000000000", "--rate", "20000", "--output", _dir.Sub("out")], new Dictionary<string, string> { ["TMPDIR"] = tmp });
        run.WaitForOutput("CheckpointCompleted", TimeSpan.FromSeconds(60));
        Assert.NotEmpty(Directory.GetDirectories(tmp, "streamshield-*")); // the job's checkpoint and spill directories exist while it runs

        LocalClusterProcesses.Signal(run.Pid, "TERM");
        var result = run.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SIGTERM received", result.Stderr);
        Assert.Contains("Savepoint written to", result.Stderr);
        var savepoint = Assert.Single(Directory.GetDirectories(savepoints));
        Assert.True(File.Exists(Path.Combine(savepoint, "_metadata")), $"no _metadata in {savepoint}");
        Assert.Contains("Canceled", result.Stdout);
        Assert.Empty(Directory.GetFileSystemEntries(tmp, "streamshield-*"));
    }

    [Theory]
    [InlineData("--rest-port")]
    [InlineData("--port")]
    public void A_coordinator_port_in_use_gets_one_line_naming_the_option(string option)
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] ports = option == "--port" ? ["--port", taken, "--rest-port", "0"] : ["--port", "0", "--rest-port", taken];
        var run = CliProcess.Run(["coordinator", .. ports, "--checkpoint-dir", _dir.Sub("checkpoints"), "--data-dir", _dir.Sub("data")], null);

        AssertOneLineError(run, $"127.0.0.1:{taken} is already in use", option);
    }

    [Fact]
    public void A_worker_data_port_in_use_gets_one_line_naming_the_option()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var run = CliProcess.Run(["worker", "--coordinator", "127.0.0.1:1", "--data-port", taken, "--work-dir", _dir.Sub("worker")], null);

        AssertOneLineError(run, $"127.0.0.1:{taken} is already in use", "--data-port");
    }

    private static void AssertOneLineError(CliRun run, params string[] fragments)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        var errors = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(errors);
        foreach (var f in fragments) Assert.True(line.Contains(f, StringComparison.Ordinal), $"'{f}' is missing from: {line}\n{run}");
        Assert.DoesNotContain("Unhandled exception", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public void Nexmark_query_reads_gzip_compressed_input_and_refuses_a_file_that_is_not_events_in_one_line()
    {
        var plain = _dir.Sub("events.jsonl");
        Assert.Equal(0, CliProcess.Run("nexmark", "generate", "--events", "2000", "--out", plain).ExitCode);
        var gz = _dir.Sub("events.jsonl.gz");
        using (var source = File.OpenRead(plain))
        using (var target = new GZipStream(File.Create(gz), CompressionLevel.Fastest))
            source.CopyTo(target);

        var fromPlain = CliProcess.Run("nexmark", "query", "q1", "--input", plain, "--out", _dir.Sub("q1-plain.jsonl"));
        var fromGzip = CliProcess.Run("nexmark", "query", "q1", "--input", gz, "--out", _dir.Sub("q1-gzip.jsonl"));
        Assert.True(fromPlain.ExitCode == 0, fromPlain.ToString());
        Assert.True(fromGzip.ExitCode == 0, fromGzip.ToString());
        var rows = File.ReadAllLines(_dir.Sub("q1-plain.jsonl"));
        Assert.NotEmpty(rows);
        Assert.Equal(rows.Order(), File.ReadAllLines(_dir.Sub("q1-gzip.jsonl")).Order());

        var garbage = _dir.Sub("garbage.bin");
        File.WriteAllBytes(garbage, [0x00, 0xff, 0x13, 0x37, 0x0a, 0x42]);
        var bad = CliProcess.Run("nexmark", "query", "q1", "--input", garbage, "--out", _dir.Sub("q1-garbage.jsonl"));
        AssertOneLineError(bad, "is not Nexmark events");
        Assert.False(File.Exists(_dir.Sub("q1-garbage.jsonl")));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Cluster_start_keeps_the_token_off_command_lines_and_its_files_private()
    {
        const string token = "tok-7f3a9c-never-in-ps";
        var dir = _dir.Sub("secured");
        var withToken = new Dictionary<string, string> { ["STREAMSHIELD_TOKEN"] = token };
        var start = CliProcess.Run(["cluster", "start", "--dir", dir, "--workers", "1", "--slots", "1", "--rest-port", "0", "--json"], withToken);
        Assert.True(start.ExitCode == 0, start.ToString());
        try
        {
            var cluster = System.Text.Json.JsonDocument.Parse(start.Stdout.Trim().Split('\n')[^1]).RootElement;
            var pids = cluster.GetProperty("workerPids").EnumerateArray().Select(p => p.GetInt32()).Append(cluster.GetProperty("coordinatorPid").GetInt32()).ToList();
            foreach (var pid in pids)
            {
                var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
                Assert.DoesNotContain(token, commandLine);
                Assert.DoesNotContain("--token", commandLine);
            }
            // The processes have the token: an authenticated call works, an anonymous one is refused.
            Assert.Equal(0, CliProcess.Run(["jobs", "--dir", dir], withToken).ExitCode);
            Assert.NotEqual(0, CliProcess.Run("jobs", "--dir", dir).ExitCode);

            foreach (var file in Directory.GetFiles(dir, "*", SearchOption.TopDirectoryOnly))
                Assert.True((File.GetUnixFileMode(file) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) == 0, $"{file} is readable by others: {File.GetUnixFileMode(file)}");
        }
        finally
        {
            CliProcess.Run("cluster", "stop", "--dir", dir);
        }
    }

    [Fact]
    public void A_worker_whose_coordinator_stays_unreachable_exits_after_its_timeout()
    {
        var run = CliProcess.Run(["worker", "--coordinator", "127.0.0.1:1", "--coordinator-timeout", "2", "--work-dir", _dir.Sub("orphan")], null);
        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Contains("unreachable", run.Stderr);
        Assert.Contains("--coordinator-timeout 2", run.Stderr);
    }

    [Fact]
    public void Cluster_stop_also_stops_workers_the_cluster_gained_after_it_started()
    {
        var dir = _dir.Sub("grown");
        var start = CliProcess.Run("cluster", "start", "--dir", dir, "--workers", "1", "--slots", "1", "--rest-port", "0", "--json");
        Assert.True(start.ExitCode == 0, start.ToString());
        using var info = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "coordinator.json")));
        var control = info.RootElement.GetProperty("controlPort").GetInt32();
        using var extra = CliProcess.Start(["worker", "--coordinator", $"127.0.0.1:{control}", "--work-dir", Path.Combine(dir, "extra-worker")]);
        extra.WaitForStderr("registered as", TimeSpan.FromSeconds(60));

        var stop = CliProcess.Run("cluster", "stop", "--dir", dir);
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Contains($"(pid {extra.Pid})", stop.Stdout);
        var ended = extra.WaitForExit(TimeSpan.FromSeconds(30));
        Assert.NotEqual(-1, ended.ExitCode);
    }
}

