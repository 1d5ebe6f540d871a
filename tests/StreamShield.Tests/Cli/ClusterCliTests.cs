using System.Text.Json;
using System.Text.RegularExpressions;
using StreamShield.Cluster.Rest;
using StreamShield.Examples;
using StreamShield.Sinks;
using StreamShield.Tests.Cluster.Integration;

namespace StreamShield.Tests.Cli;

/// <summary>A local cluster started the way a user starts it (<c>streamshield cluster start</c>), stopped with <c>cluster stop</c>.</summary>
public sealed class CliClusterFixture : IDisposable
{
    private readonly TempDirectory _dir = new("cli-cluster");

    public CliClusterFixture()
    {
        ClusterDir = _dir.Sub("cluster");
        var start = CliProcess.Run("cluster", "start", "--dir", ClusterDir, "--workers", "2", "--slots", "2", "--rest-port", "0", "--json");
        Assert.True(start.ExitCode == 0, start.ToString());
        using var doc = JsonDocument.Parse(start.Stdout.Trim().Split('\n')[^1]);
        RestUrl = doc.RootElement.GetProperty("restUrl").GetString()!;
        Client = new RestClient(RestUrl, null);
    }

    public string ClusterDir { get; }
    public string RestUrl { get; }
    internal RestClient Client { get; }
    public string Sub(string name) => _dir.Sub(name);

    internal StreamShield.Cluster.Model.JobSummary Job(string id) => Client.JobAsync(id).GetAwaiter().GetResult().Summary;
    internal IReadOnlyList<StreamShield.Cluster.Model.ExceptionInfo> Exceptions(string id) => Client.ExceptionsAsync(id).GetAwaiter().GetResult();
    internal IReadOnlyList<StreamShield.Cluster.Model.TimelineEvent> Timeline(string id) => Client.TimelineAsync(id).GetAwaiter().GetResult();

    /// <summary>The coordinator's and the workers' logs, for failure messages and log assertions.</summary>
    public string Logs() => string.Join("\n", Directory.GetFiles(ClusterDir, "*.log").Order().Select(f => $"---- {Path.GetFileName(f)} ----\n{File.ReadAllText(f)}"));

    public void Dispose()
    {
        var stop = CliProcess.Run("cluster", "stop", "--dir", ClusterDir);
        Client.Dispose();
        _dir.Dispose();
        Assert.True(stop.ExitCode == 0, stop.ToString());
    }
}

/// <summary>
/// The cluster client commands as a user runs them: finding the cluster, submitting attached and detached, and what
/// a failed or rejected job prints. Real processes: the CLI, a coordinator and two workers.
/// </summary>
[Collection(nameof(ClusterProcessesCollection))]
public sealed class ClusterCliTests(CliClusterFixture cluster) : IClassFixture<CliClusterFixture>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(120);

    private string WordCountInput()
    {
        var input = cluster.Sub($"input-{Guid.NewGuid():N}");
        Directory.CreateDirectory(input);
        File.WriteAllLines(Path.Combine(input, "a.txt"), ["to be or not to be", "that is the question"]);
        File.WriteAllLines(Path.Combine(input, "b.txt"), ["to sleep perchance to dream"]);
        return input;
    }

    private CliRun Submit(params string[] args) => CliProcess.Run(["submit", "--dir", cluster.ClusterDir, .. args], null, JobTimeout, cluster.Logs);

    private static string JobIdIn(CliRun run) => Regex.Match(run.Stdout, @"Job ([0-9a-f]{16}) submitted").Groups[1].Value;

    [Fact]
    public void Client_commands_find_the_cluster_by_its_directory_or_the_environment_and_name_the_url_when_nothing_answers()
    {
        var byDir = CliProcess.Run("jobs", "--dir", cluster.ClusterDir);
        Assert.True(byDir.ExitCode == 0, byDir.ToString());

        var byEnvironment = CliProcess.Run(["jobs"], new Dictionary<string, string> { ["STREAMSHIELD_COORDINATOR"] = cluster.RestUrl });
        Assert.True(byEnvironment.ExitCode == 0, byEnvironment.ToString());

        var nobody = CliProcess.Run("jobs", "--coordinator", "http://127.0.0.1:1");
        Assert.Equal(2, nobody.ExitCode);
        var line = Assert.Single(nobody.Stderr.Trim().Split('\n'));
        Assert.Contains("http://127.0.0.1:1", line);
        Assert.Contains("cluster start --dir", line);
        Assert.DoesNotContain("Unhandled", nobody.Stderr);

        var noCluster = CliProcess.Run("jobs", "--dir", cluster.Sub("no-cluster-here"));
        Assert.Equal(2, noCluster.ExitCode);
        Assert.Contains("no cluster is running", noCluster.Stderr);
    }

    [Fact]
    public void Submit_follows_the_job_to_its_end_and_a_rejected_submission_does_not_break_the_next_one()
    {
        var input = WordCountInput();
        var first = Submit("wordcount", "-p", "2", "--", "--input", input, "--output", cluster.Sub("out-1"));
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("Finished", first.Stdout);

        var rejected = Submit("wordcount", "-D", "foo=1", "--", "--input", input, "--output", cluster.Sub("out-2"));
        Assert.True(rejected.ExitCode == 2, rejected.ToString());
        Assert.Contains("Unknown configuration key 'foo'", rejected.Stderr);

        // The coordinator built one more graph than the workers; the next job must still deploy (issue: uids from a process-wide counter).
        var output = cluster.Sub("out-3");
        var again = Submit("wordcount", "-p", "2", "--checkpoint-interval", "1s", "--", "--input", input, "--output", output);
        Assert.True(again.ExitCode == 0, again.ToString() + cluster.Logs());
        Assert.Contains("Finished", again.Stdout);
        Assert.DoesNotContain("different graph", again.Stdout + cluster.Logs());

        // Records out are the lines the sink committed: 11 distinct words.
        var committed = FileSink<string>.ReadCommittedLines(output);
        Assert.Equal(11, committed.Count);
        Assert.Equal(11, cluster.Job(JobIdIn(again)).RecordsOut);
    }

    [Fact]
    public void An_ended_jobs_extracted_code_is_removed_from_the_coordinator()
    {
        var input = WordCountInput();
        for (var k = 0; k < 3; k++)
        {
            var run = Submit("wordcount", "-p", "2", "--", "--input", input, "--output", cluster.Sub($"out-cleanup-{k}"));
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        var jobs = Path.Combine(cluster.ClusterDir, "coordinator", "jobs");
        var deadline = DateTime.UtcNow.AddSeconds(30); // other tests' cancelled jobs end too
        while (Directory.GetDirectories(jobs).Length > 0 && DateTime.UtcNow < deadline) Thread.Sleep(100);
        Assert.Empty(Directory.GetDirectories(jobs));
    }

    [Fact]
    public void A_job_that_fails_at_once_makes_submit_exit_non_zero_with_the_whole_exception_in_rest_logs_and_json()
    {
        var missing = cluster.Sub("missing-input");
        var run = Submit("wordcount", "-p", "2", "--", "--input", missing, "--output", cluster.Sub("out-failed"));
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("Failed", run.Stdout);
        // The summary line, then the stack: type, message and the frames that threw.
        Assert.Contains("System.IO.DirectoryNotFoundException", run.Stderr);
        Assert.Contains("at StreamShield.Sources.DirectorySource", run.Stderr);

        var exceptions = cluster.Exceptions(JobIdIn(run));
        var failure = Assert.Single(exceptions);
        Assert.Equal("System.IO.DirectoryNotFoundException", failure.ExceptionType);
        Assert.Contains("at StreamShield.Sources.DirectorySource", failure.StackTrace);
        Assert.DoesNotContain('\n', failure.Message);
        var timeline = cluster.Timeline(JobIdIn(run));
        Assert.Contains(timeline, e => e.Kind == "TaskFailed" && e.Detail?.Contains("at StreamShield.Sources.DirectorySource") == true);

        // Both processes log the whole exception.
        var logs = Directory.GetFiles(cluster.ClusterDir, "*.log").ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        Assert.Contains("at StreamShield.Sources.DirectorySource", logs["coordinator.log"]);
        Assert.Contains(logs, l => l.Key.StartsWith("worker-", StringComparison.Ordinal) && l.Value.Contains("at StreamShield.Sources.DirectorySource"));

        var json = Submit("wordcount", "-p", "2", "--json", "--", "--input", missing, "--output", cluster.Sub("out-failed-json"));
        Assert.Equal(1, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Stdout.Trim().Split('\n')[^1]);
        Assert.Equal("Failed", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("System.IO.DirectoryNotFoundException", doc.RootElement.GetProperty("failureType").GetString());
        Assert.Contains("at StreamShield.Sources.DirectorySource", doc.RootElement.GetProperty("failureStackTrace").GetString());
    }

    [Fact]
    public void Submit_detached_prints_the_id_and_returns_while_the_job_runs()
    {
        var run = Submit("windowed-counts", "-p", "2", "--detached", "--", "--events", "1000000000", "--rate", "20000", "--output", cluster.Sub("out-detached"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var id = run.Stdout.Trim();
        Assert.Matches("^[0-9a-f]{16}$", id);
        Assert.Equal("Running", WaitForStatus(id, "Running"));
        var cancel = CliProcess.Run("cancel", id, "--dir", cluster.ClusterDir);
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Equal("Canceled", WaitForStatus(id, "Canceled"));
    }

    [Fact]
    public void Savepoints_are_written_under_the_savepoint_root_and_other_directories_are_refused()
    {
        var run = Submit("windowed-counts", "-p", "2", "--detached", "--checkpoint-interval", "1s", "--", "--events", "1000000000", "--rate", "20000", "--output", cluster.Sub("out-savepoints"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var id = run.Stdout.Trim();
        try
        {
            Assert.Equal("Running", WaitForStatus(id, "Running"));
            foreach (var outside in new[] { "../../escaped", cluster.Sub("outside") })
            {
                var refused = CliProcess.Run("savepoint", id, "--dir", cluster.ClusterDir, "--directory", outside);
                Assert.True(refused.ExitCode == 2, refused.ToString());
                Assert.Contains("savepoint root", refused.Stderr);
            }
            Assert.False(Directory.Exists(cluster.Sub("outside")));
            Assert.False(Directory.Exists(Path.GetFullPath(Path.Combine(cluster.ClusterDir, "savepoints", "../../escaped"))));

            var written = CliProcess.Run("savepoint", id, "--dir", cluster.ClusterDir, "--directory", "nightly");
            Assert.True(written.ExitCode == 0, written.ToString());
            Assert.StartsWith(Path.Combine(cluster.ClusterDir, "savepoints", "nightly") + Path.DirectorySeparatorChar, written.Stdout.Trim());
            Assert.True(File.Exists(Path.Combine(written.Stdout.Trim(), "_metadata")));
        }
        finally
        {
            CliProcess.Run("cancel", id, "--dir", cluster.ClusterDir);
        }
    }

    private string WaitForStatus(string id, string status)
    {
        var deadline = DateTime.UtcNow + JobTimeout;
        string current;
        while ((current = cluster.Job(id).Status) != status && DateTime.UtcNow < deadline) Thread.Sleep(100);
        return current;
    }

    [Fact]
    public void Help_names_every_example_and_a_bad_number_gets_one_line_in_words()
    {
        foreach (var command in new[] { "run", "submit" })
        {
            var help = CliProcess.Run(command, "--help");
            foreach (var example in ExampleJobs.All.Keys) Assert.Contains(example, help.Stdout);
        }
        var bad = CliProcess.Run("run", "wordcount", "-p", "abc");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--parallelism must be a positive whole number, not 'abc'", bad.Stderr);
        Assert.DoesNotContain("System.", bad.Stderr + bad.Stdout);
        Assert.DoesNotContain("Usage:", bad.Stderr + bad.Stdout);
    }
}
