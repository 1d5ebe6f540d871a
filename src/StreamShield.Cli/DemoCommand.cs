using System.CommandLine;
using System.Text.Json;
using StreamShield.Examples;
using StreamShield.Execution;
using StreamShield.Runtime.Faults;
using StreamShield.Sinks;

namespace StreamShield.Cli;

/// <summary>
/// `streamshield demo`: runs the windowed-counts job embedded (parallelism 2, checkpoints every second), injects a
/// task failure mid-run, lets the job recover from its latest checkpoint, and checks the committed output against
/// a fault-free computation: records lost and duplicated must both be zero.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the results as the last line." };
        var events = new Option<long>("--events") { Description = "Clicks to generate.", DefaultValueFactory = _ => 2_000_000 };
        var rate = new Option<double>("--rate") { Description = "Clicks per second (pacing, so checkpoints and the failure land mid-run).", DefaultValueFactory = _ => 400_000 };
        var command = new Command("demo", "Run a stateful windowed job embedded, inject a task failure mid-run, recover, and verify exactly-once output.")
        {
            json, events, rate,
        };
        command.SetAction(r => Run(r.GetValue(json), r.GetValue(events), r.GetValue(rate)));
        return command;
    }

    private static int Run(bool json, long events, double rate)
    {
        if (events < 10_000) throw new ArgumentException("--events must be at least 10000 so that the failure lands mid-run.");
        var work = Path.Combine(Path.GetTempPath(), $"streamshield-demo-{Guid.NewGuid():N}");
        var output = Path.Combine(work, "output");
        try
        {
            var env = StreamEnvironment.Create();
            env.Parallelism = 2;
            env.EnableCheckpointing(TimeSpan.FromSeconds(1));
            env.Checkpointing.Directory = Path.Combine(work, "checkpoints");
            env.Checkpointing.RetainedCheckpoints = 2;
            env.RestartStrategy = RestartStrategy.FixedDelay(3, TimeSpan.FromMilliseconds(200));
            // Fail subtask 1 about 45% into the run, after a couple of checkpoints have completed.
            var failAfterMs = (long)(events / rate * 1000 * 0.45);
            env.Configuration[$"fault.{FaultPoints.TaskProcess}"] = $"throw:afterms={failAfterMs}:subtask=1";
            var job = new WindowedCountsJob { Events = events, RecordsPerSecond = rate, OutputDirectory = output };
            job.Build(env, []);

            if (!json) Console.WriteLine($"StreamShield demo: {events:N0} clicks of {job.Users} users, 1 s tumbling event-time windows, parallelism 2, checkpoints every 1 s, a task failure injected mid-run.");
            var started = DateTime.UtcNow;
            var client = env.ExecuteAsync("demo: windowed counts");
            var result = LiveView.Follow(client, json);
            var wall = DateTime.UtcNow - started;

            var committed = FileSink<WindowedCountsJob.UserCount>.ReadCommittedLines(output);
            var expected = WindowedCountsJob.Expected(events, job.Users).Select(c => c.ToString()).ToList();
            var (lost, duplicated) = Compare(expected, committed);
            var failures = result.Timeline.Count(e => e.Kind == JobEventKind.FaultInjected);
            var ok = result.Status == JobStatus.Finished && lost == 0 && duplicated == 0 && failures >= 1 && result.Metrics.Restarts >= 1;

            if (!json)
            {
                Console.WriteLine();
                Console.WriteLine($"Job status:            {result.Status} in {wall.TotalSeconds:0.0} s");
                Console.WriteLine($"Clicks generated:      {events:N0} ({result.Metrics.RecordsIn:N0} emitted, including replay after the failure)");
                Console.WriteLine($"Window results:        {committed.Count:N0} committed, {expected.Count:N0} expected");
                Console.WriteLine($"Checkpoints completed: {result.Metrics.CheckpointsCompleted}");
                Console.WriteLine($"Failures injected:     {failures}, restarts: {result.Metrics.Restarts}");
                Console.WriteLine($"Lost: {lost}, duplicated: {duplicated} => {(ok ? "exactly-once output verified" : "VERIFICATION FAILED")}");
                if (result.Failure is { } f) Console.WriteLine($"Failure: {f.Message}");
            }
            else
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    status = result.Status.ToString(),
                    seconds = Math.Round(wall.TotalSeconds, 2),
                    recordsIn = events,
                    recordsEmitted = result.Metrics.RecordsIn,
                    recordsOut = committed.Count,
                    expectedOut = expected.Count,
                    checkpointsCompleted = result.Metrics.CheckpointsCompleted,
                    failuresInjected = failures,
                    restarts = result.Metrics.Restarts,
                    lost,
                    duplicated,
                    verified = ok,
                }));
            }
            return ok ? 0 : 1;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Counts expected lines missing from the output and output lines beyond their expected multiplicity.</summary>
    internal static (long Lost, long Duplicated) Compare(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var e in expected) counts[e] = counts.GetValueOrDefault(e) + 1;
        long duplicated = 0;
        foreach (var a in actual)
        {
            var left = counts.GetValueOrDefault(a);
            if (left > 0) counts[a] = left - 1;
            else duplicated++;
        }
        return (counts.Values.Sum(), duplicated);
    }
}
