using System.Diagnostics;
using Spectre.Console;
using StreamShield.Execution;

namespace StreamShield.Cli;

/// <summary>
/// Shows a running job: a live table (records/s, checkpoints, restarts, last events) on an interactive terminal,
/// or the timeline as plain lines when output is redirected. With JSON output it stays quiet.
/// </summary>
internal static class LiveView
{
    public static JobExecutionResult Follow(IJobClient client, bool quiet)
    {
        if (quiet) return client.Completion.GetAwaiter().GetResult();
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return FollowPlain(client);

        var watch = Stopwatch.StartNew();
        long lastIn = 0;
        var lastTime = TimeSpan.Zero;
        double rate = 0;
        AnsiConsole.Live(new Table()).AutoClear(false).Start(ctx =>
        {
            while (!client.Completion.Wait(500))
            {
                var m = client.Metrics;
                var now = watch.Elapsed;
                rate = (m.RecordsIn - lastIn) / Math.Max(0.001, (now - lastTime).TotalSeconds);
                lastIn = m.RecordsIn;
                lastTime = now;
                ctx.UpdateTarget(Render(client, m, rate, now));
            }
            ctx.UpdateTarget(Render(client, client.Metrics, rate, watch.Elapsed));
        });
        return client.Completion.GetAwaiter().GetResult();
    }

    private static Table Render(IJobClient client, JobMetrics m, double rate, TimeSpan elapsed)
    {
        var table = new Table().Title($"[bold]{Markup.Escape(client.JobName)}[/] — {client.Status}, {elapsed.TotalSeconds:0.0} s").AddColumns("metric", "value");
        table.AddRow("records in", $"{m.RecordsIn:N0}");
        table.AddRow("records/s", $"{rate:N0}");
        table.AddRow("records out (sinks)", $"{m.RecordsOut:N0}");
        table.AddRow("checkpoints completed", $"{m.CheckpointsCompleted} (failed {m.CheckpointsFailed})");
        table.AddRow("last checkpoint", m.LastCheckpointId is { } id ? $"#{id}: {m.LastCheckpointDuration?.TotalMilliseconds:0} ms, {m.LastCheckpointBytes:N0} bytes" : "-");
        table.AddRow("restarts", $"{m.Restarts}");
        foreach (var e in client.Timeline.Where(e => e.Kind is not (JobEventKind.CheckpointTriggered or JobEventKind.CheckpointCompleted)).TakeLast(5))
            table.AddRow($"[grey]{e.Time:HH:mm:ss.fff}[/]", Markup.Escape($"{e.Kind}: {e.Message}"));
        return table;
    }

    private static JobExecutionResult FollowPlain(IJobClient client)
    {
        var printed = 0;
        while (!client.Completion.Wait(250)) printed = PrintNew(client, printed);
        PrintNew(client, printed);
        return client.Completion.GetAwaiter().GetResult();
    }

    private static int PrintNew(IJobClient client, int printed)
    {
        var timeline = client.Timeline;
        for (var i = printed; i < timeline.Count; i++)
        {
            var e = timeline[i];
            if (e.Kind == JobEventKind.CheckpointTriggered && Environment.GetEnvironmentVariable("STREAMSHIELD_VERBOSE") is null) continue;
            Console.WriteLine($"{e.Time:HH:mm:ss.fff} {e.Kind}: {e.Message}");
            if (e.Detail is { } detail) Console.WriteLine(string.Join(Environment.NewLine, detail.Split('\n').Select(l => "    " + l.TrimEnd('\r'))));
        }
        return timeline.Count;
    }
}
