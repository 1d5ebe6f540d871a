using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using StreamShield.Cluster.Model;
using StreamShield.Cluster.Rest;

namespace StreamShield.Cli.Cluster;

/// <summary>
/// Follows a cluster job from the client, as an attached `flink run` does: prints its timeline as it grows and, when
/// the job ends, its final status with the failure's whole exception. Ctrl+C or SIGTERM detaches (the job keeps running).
/// </summary>
internal static class JobFollower
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>Exit code: 0 if the job finished, 1 if it failed or was cancelled, 0 after a detach.</summary>
    public static int Follow(RestClient rest, string jobId, bool json)
    {
        using var detach = new CancellationTokenSource();
        void Detach(PosixSignalContext context)
        {
            context.Cancel = true;
            detach.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Detach);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Detach);

        var verbose = Environment.GetEnvironmentVariable("STREAMSHIELD_VERBOSE") is not null;
        var printed = 0;
        JobDetail job;
        while (true)
        {
            job = rest.JobAsync(jobId).GetAwaiter().GetResult();
            var timeline = rest.TimelineAsync(jobId).GetAwaiter().GetResult();
            if (!json)
            {
                for (; printed < timeline.Count; printed++)
                {
                    var e = timeline[printed];
                    if (e.Kind == "CheckpointTriggered" && !verbose) continue;
                    Console.WriteLine($"{e.Time.ToLocalTime():HH:mm:ss.fff} {e.Kind}: {e.Message}");
                    if (e.Detail is { } detail) Console.WriteLine(Indent(detail));
                }
            }
            if (job.Summary.Status is "Finished" or "Failed" or "Canceled") break;
            if (detach.Token.WaitHandle.WaitOne(Poll))
            {
                Console.Error.WriteLine($"Detached from job {jobId}; it keeps running. Follow it with `streamshield jobs`, stop it with `streamshield cancel {jobId}`.");
                return 0;
            }
        }

        var s = job.Summary;
        var failure = s.Status == "Failed" ? rest.ExceptionsAsync(jobId).GetAwaiter().GetResult().LastOrDefault() : null;
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                jobId,
                job = s.Name,
                status = s.Status,
                seconds = Math.Round(s.DurationSeconds, 3),
                recordsIn = s.RecordsIn,
                recordsOut = s.RecordsOut,
                checkpointsCompleted = s.CheckpointsCompleted,
                restarts = s.Restarts,
                failure = job.Failure,
                failureType = failure?.ExceptionType,
                failureStackTrace = failure?.StackTrace,
            }, ClusterClientOptions.Json));
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Job {jobId} '{s.Name}': {s.Status} in {s.DurationSeconds:0.00} s; {s.RecordsIn:N0} records in, {s.RecordsOut:N0} out, {s.CheckpointsCompleted} checkpoints, {s.Restarts} restarts"));
            if (job.Failure is { } f) Console.Error.WriteLine($"Failure: {f}{(failure?.StackTrace is { } stack ? Environment.NewLine + stack : "")}");
        }
        return s.Status == "Finished" ? 0 : 1;
    }

    private static string Indent(string text) => string.Join(Environment.NewLine, text.Split('\n').Select(l => "    " + l.TrimEnd('\r')));
}
