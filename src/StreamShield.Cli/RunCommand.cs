using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using StreamShield.Examples;
using StreamShield.Execution;

namespace StreamShield.Cli;

/// <summary>`streamshield run &lt;job&gt;`: runs an example or a job assembly embedded, with a live view.</summary>
internal static class RunCommand
{
    /// <summary>The job argument's help, shared with `submit`: names every example.</summary>
    internal static string JobArgumentDescription =>
        $"An example's name ({string.Join(", ", ExampleJobs.All.Keys)}) or the path to a job assembly (.dll). Arguments after it go to the job.";

    public static Command Create()
    {
        var job = new Argument<string>("job") { Description = JobArgumentDescription };
        var parallelism = CliOptions.Parallelism();
        var checkpointDir = new Option<string?>("--checkpoint-dir") { Description = "Directory for checkpoints (default: a temporary directory removed at the end)." };
        var interval = new Option<string?>("--checkpoint-interval") { Description = "Checkpoint every this long, e.g. 10s or 500ms (default: checkpoints off until the final one)." };
        var savepoint = new Option<string?>("--from-savepoint") { Description = "Restore from a savepoint or checkpoint directory (or a checkpoint root: its latest valid checkpoint)." };
        var savepointOnExit = new Option<string?>("--savepoint-on-exit") { Description = "On Ctrl+C or SIGTERM, write a savepoint into this directory before stopping." };
        var config = CliOptions.Config();
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the job's result as the last line." };
        var command = new Command("run", "Run a job embedded in this process. Ctrl+C or SIGTERM stops it (after a savepoint with --savepoint-on-exit); a second one exits at once.")
        {
            job, parallelism, checkpointDir, interval, config, savepoint, savepointOnExit, json,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(r => Run(r.GetValue(job)!, r.GetValue(parallelism), r.GetValue(checkpointDir), r.GetValue(interval),
            ConfigEntries.Parse(r.GetValue(config)), r.GetValue(savepoint), r.GetValue(savepointOnExit), r.GetValue(json), r.UnmatchedTokens));
        return command;
    }

    private static int Run(string jobName, int? parallelism, string? checkpointDir, string? interval, Dictionary<string, string> configuration,
        string? fromSavepoint, string? savepointOnExit, bool json, IReadOnlyList<string> jobArgs)
    {
        var job = JobLoader.Load(jobName);
        var env = StreamEnvironment.Create();
        if (parallelism is { } p) env.Parallelism = p;
        if (checkpointDir is not null) env.Checkpointing.Directory = checkpointDir;
        if (interval is not null) env.EnableCheckpointing(Duration.Parse(interval));
        if (fromSavepoint is not null) env.RestorePath = fromSavepoint;
        job.Build(env, jobArgs);
        // As on `submit`: command-line entries go over what the job's code configured.
        foreach (var (key, value) in configuration) env.Configuration[key] = value;
        var client = env.ExecuteAsync(job.Name);

        // Ctrl+C and SIGTERM (what Docker, Kubernetes and systemd send) stop the job the same way: savepoint if asked,
        // then cancel, so the job's temporary directories are removed. A second signal ends the process at once.
        var stopping = 0;
        void Stop(PosixSignalContext context)
        {
            if (Interlocked.Exchange(ref stopping, 1) != 0) return; // the second signal: default handling ends the process
            context.Cancel = true;
            Console.Error.WriteLine($"{context.Signal} received: stopping the job{(savepointOnExit is null ? "" : " with a savepoint")}.");
            ThreadPool.QueueUserWorkItem(_ =>
            {
                if (savepointOnExit is not null)
                {
                    try
                    {
                        var path = client.TriggerSavepointAsync(savepointOnExit).GetAwaiter().GetResult();
                        Console.Error.WriteLine($"Savepoint written to {path}");
                    }
                    catch (Exception ex)
                    {
                        Console.Error.WriteLine($"Savepoint failed: {ex.Message}");
                    }
                }
                client.Cancel();
            });
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        var result = LiveView.Follow(client, json);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                job = result.JobName,
                status = result.Status.ToString(),
                seconds = Math.Round(result.Duration.TotalSeconds, 3),
                recordsIn = result.Metrics.RecordsIn,
                recordsOut = result.Metrics.RecordsOut,
                checkpointsCompleted = result.Metrics.CheckpointsCompleted,
                checkpointsFailed = result.Metrics.CheckpointsFailed,
                restarts = result.Metrics.Restarts,
                failure = result.Failure?.Message,
                failureType = result.Failure?.GetType().FullName,
                failureStackTrace = result.Failure?.ToString(),
            }));
        }
        else
        {
            Console.WriteLine($"{result.JobName}: {result.Status} in {result.Duration.TotalSeconds:0.00} s; {result.Metrics.RecordsIn:N0} records in, {result.Metrics.RecordsOut:N0} out, {result.Metrics.CheckpointsCompleted} checkpoints, {result.Metrics.Restarts} restarts");
            if (result.Failure is { } f) Console.Error.WriteLine($"Failure: {f.Message}{Environment.NewLine}{f}");
        }
        return result.Status is JobStatus.Finished or JobStatus.Canceled ? 0 : 1;
    }
}
