using System.CommandLine;
using System.Text.Json;
using StreamShield.Cluster.Model;
using StreamShield.Cluster.Packaging;
using StreamShield.Examples;

namespace StreamShield.Cli.Cluster;

/// <summary>
/// `streamshield submit &lt;job&gt;`: packs a job (an example or a job assembly), uploads it to the coordinator and starts
/// it. Attached by default, as Flink's `flink run`: it follows the job's timeline until the job ends and exits non-zero
/// unless it finished; `--detached` prints the id and returns at once.
/// </summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var job = new Argument<string>("job")
        {
            Description = RunCommand.JobArgumentDescription,
        };
        var parallelism = CliOptions.Parallelism();
        var savepoint = new Option<string?>("--from-savepoint") { Description = "Restore from this savepoint or checkpoint directory (a path the coordinator can read)." };
        var entryClass = new Option<string?>("--entry-class") { Description = "Full name of the job class to run, if the assembly holds several (default: the example's class or the assembly's only job)." };
        var interval = new Option<string?>("--checkpoint-interval") { Description = "Checkpoint every this long, e.g. 1s or 500ms, unless the job's code enables checkpointing itself (default: only the final checkpoint of a bounded job)." };
        var config = CliOptions.Config();
        var detached = new Option<bool>("--detached", "-d") { Description = "Print the job id and return at once instead of following the job to its end." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: {\"jobId\"} when detached, else the job's final summary (status, records, restarts, failure)." };
        var client = new ClusterClientOptions();
        var command = new Command("submit", "Submit a job to a running cluster and follow it until it ends (exit code 0 only if it finished), or with --detached print its id and return.")
        {
            job, parallelism, interval, config, savepoint, entryClass, detached, json,
        };
        client.AddTo(command);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(r =>
        {
            using var rest = client.CreateClient(r);
            var every = r.GetValue(interval) is { } text ? Duration.Parse(text) : (TimeSpan?)null;
            var entries = ConfigEntries.Parse(r.GetValue(config));
            return Submit(rest, r.GetValue(job)!, r.GetValue(parallelism), every, entries, r.GetValue(savepoint), r.GetValue(entryClass), r.GetValue(detached),
                r.GetValue(json), r.UnmatchedTokens);
        });
        return command;
    }

    private static int Submit(StreamShield.Cluster.Rest.RestClient rest, string jobName, int? parallelism, TimeSpan? checkpointInterval, Dictionary<string, string> configuration, string? fromSavepoint, string? entryClass,
        bool detached, bool json, IReadOnlyList<string> jobArgs)
    {
        if (parallelism is <= 0) throw new ArgumentException($"--parallelism must be positive, not {parallelism}.");
        var (assemblyPath, exampleClass) = Resolve(jobName);
        using var packed = JobPackager.Pack(assemblyPath, entryClass ?? exampleClass);
        var artifact = rest.UploadArtifactAsync(packed.ZipPath).GetAwaiter().GetResult();
        var request = new SubmitRequest(artifact.Id, packed.EntryClass ?? entryClass ?? exampleClass, [.. jobArgs], parallelism,
            fromSavepoint is null ? null : Path.GetFullPath(fromSavepoint), checkpointInterval is { } i ? (long)i.TotalMilliseconds : null, configuration.Count == 0 ? null : configuration);
        var response = rest.SubmitAsync(request).GetAwaiter().GetResult();
        if (detached)
        {
            Console.WriteLine(json ? JsonSerializer.Serialize(response, ClusterClientOptions.Json) : response.JobId);
            return 0;
        }
        if (!json) Console.WriteLine($"Job {response.JobId} submitted to {rest.BaseUrl}; following it (Ctrl+C detaches, the job keeps running).");
        return JobFollower.Follow(rest, response.JobId, json);
    }

    /// <summary>The job assembly's path and, for an example, its class name.</summary>
    internal static (string AssemblyPath, string? EntryClass) Resolve(string job)
    {
        if (ExampleJobs.All.TryGetValue(job, out var example))
        {
            var type = example().GetType();
            return (type.Assembly.Location, type.FullName);
        }
        if (!job.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"'{job}' is neither an example ({string.Join(", ", ExampleJobs.All.Keys)}) nor a path to a job assembly (.dll).");
        var path = Path.GetFullPath(job);
        if (!File.Exists(path)) throw new FileNotFoundException($"Job assembly '{path}' does not exist. Build the job's project and pass the path to its .dll.");
        return (path, null);
    }
}
