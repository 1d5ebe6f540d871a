using System.CommandLine;
using System.Text.Json;
using StreamShield.Cluster.Model;
using StreamShield.Cluster.Packaging;
using StreamShield.Examples;

namespace StreamShield.Cli.Cluster;

/// <summary>`streamshield submit &lt;job&gt;`: packs a job (an example or a job assembly), uploads it to the coordinator and starts it.</summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var job = new Argument<string>("job")
        {
            Description = "An example's name (windowed-counts, wordcount) or the path to a job assembly (.dll). Arguments after it go to the job.",
        };
        var parallelism = new Option<int?>("--parallelism", "-p") { Description = "Default parallelism of the job's operators." };
        var savepoint = new Option<string?>("--from-savepoint") { Description = "Restore from this savepoint or checkpoint directory (a path the coordinator can read)." };
        var entryClass = new Option<string?>("--entry-class") { Description = "Full name of the job class to run, if the assembly holds several (default: the example's class or the assembly's only job)." };
        var interval = new Option<string?>("--checkpoint-interval") { Description = "Checkpoint every this long, e.g. 1s or 500ms, unless the job's code enables checkpointing itself (default: only the final checkpoint of a bounded job)." };
        var config = new Option<string[]>("--config", "-D") { Description = "A job configuration entry KEY=VALUE (repeatable), e.g. -D failover.strategy=region.", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Print one JSON object {\"jobId\": ...} instead of the job id." };
        var client = new ClusterClientOptions();
        var command = new Command("submit", "Submit a job to a running cluster and print its id.") { job, parallelism, interval, config, savepoint, entryClass, json };
        client.AddTo(command);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(r =>
        {
            using var rest = client.CreateClient(r);
            var every = r.GetValue(interval) is { } text ? Duration.Parse(text) : (TimeSpan?)null;
            var entries = ConfigEntries.Parse(r.GetValue(config));
            return Submit(rest, r.GetValue(job)!, r.GetValue(parallelism), every, entries, r.GetValue(savepoint), r.GetValue(entryClass), r.GetValue(json), r.UnmatchedTokens);
        });
        return command;
    }

    private static int Submit(StreamShield.Cluster.Rest.RestClient rest, string jobName, int? parallelism, TimeSpan? checkpointInterval, Dictionary<string, string> configuration, string? fromSavepoint, string? entryClass,
        bool json, IReadOnlyList<string> jobArgs)
    {
        if (parallelism is <= 0) throw new ArgumentException($"--parallelism must be positive, not {parallelism}.");
        var (assemblyPath, exampleClass) = Resolve(jobName);
        using var packed = JobPackager.Pack(assemblyPath, entryClass ?? exampleClass);
        var artifact = rest.UploadArtifactAsync(packed.ZipPath).GetAwaiter().GetResult();
        var request = new SubmitRequest(artifact.Id, packed.EntryClass ?? entryClass ?? exampleClass, [.. jobArgs], parallelism,
            fromSavepoint is null ? null : Path.GetFullPath(fromSavepoint), checkpointInterval is { } i ? (long)i.TotalMilliseconds : null, configuration.Count == 0 ? null : configuration);
        var response = rest.SubmitAsync(request).GetAwaiter().GetResult();
        Console.WriteLine(json ? JsonSerializer.Serialize(response, ClusterClientOptions.Json) : response.JobId);
        return 0;
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
