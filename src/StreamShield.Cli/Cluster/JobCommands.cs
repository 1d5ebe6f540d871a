using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using StreamShield.Cluster.Model;

namespace StreamShield.Cli.Cluster;

/// <summary>
/// Commands on the jobs of a running cluster: `streamshield jobs`, `cancel &lt;jobId&gt;`, `savepoint &lt;jobId&gt;` and
/// `stop &lt;jobId&gt; --with-savepoint`.
/// </summary>
internal static class JobCommands
{
    /// <summary>`streamshield jobs`: lists the cluster's jobs.</summary>
    public static Command Jobs()
    {
        var json = new Option<bool>("--json") { Description = "Print the jobs as one JSON array." };
        var client = new ClusterClientOptions();
        var command = new Command("jobs", "List the jobs of a running cluster.") { json };
        client.AddTo(command);
        command.SetAction(r =>
        {
            using var rest = client.CreateClient(r);
            var jobs = rest.JobsAsync().GetAwaiter().GetResult();
            Console.WriteLine(r.GetValue(json) ? JsonSerializer.Serialize(jobs, ClusterClientOptions.Json) : FormatTable(jobs));
            return 0;
        });
        return command;
    }

    /// <summary>`streamshield cancel &lt;jobId&gt;`.</summary>
    public static Command Cancel()
    {
        var jobId = new Argument<string>("jobId") { Description = "Id of the job to cancel (see `streamshield jobs`)." };
        var client = new ClusterClientOptions();
        var command = new Command("cancel", "Cancel a job of a running cluster (without a savepoint).") { jobId };
        client.AddTo(command);
        command.SetAction(r =>
        {
            using var rest = client.CreateClient(r);
            var id = r.GetValue(jobId)!;
            rest.CancelAsync(id).GetAwaiter().GetResult();
            Console.WriteLine($"Canceling job {id}");
            return 0;
        });
        return command;
    }

    /// <summary>`streamshield savepoint &lt;jobId&gt; [--directory DIR]`.</summary>
    public static Command Savepoint()
    {
        var jobId = new Argument<string>("jobId") { Description = "Id of the job (see `streamshield jobs`)." };
        var directory = new Option<string?>("--directory", "-d") { Description = "Directory to write the savepoint into: relative to the coordinator's savepoint root, or an absolute path the coordinator allows (--allow-savepoint-dir). Default: the root itself." };
        var client = new ClusterClientOptions();
        var command = new Command("savepoint", "Take a savepoint of a running job, wait for it and print its location; the job keeps running.") { jobId, directory };
        client.AddTo(command);
        command.SetAction(r =>
        {
            using var rest = client.CreateClient(r);
            var response = rest.TriggerSavepointAsync(r.GetValue(jobId)!, r.GetValue(directory)).GetAwaiter().GetResult();
            Console.WriteLine(response.Location);
            return 0;
        });
        return command;
    }

    /// <summary>`streamshield stop &lt;jobId&gt; --with-savepoint [--directory DIR]`.</summary>
    public static Command Stop()
    {
        var jobId = new Argument<string>("jobId") { Description = "Id of the job (see `streamshield jobs`)." };
        var withSavepoint = new Option<bool>("--with-savepoint") { Description = "Take a savepoint, then stop the job (required; to stop without a savepoint use `cancel`)." };
        var directory = new Option<string?>("--directory", "-d") { Description = "Directory to write the savepoint into: relative to the coordinator's savepoint root, or an absolute path the coordinator allows (--allow-savepoint-dir). Default: the root itself." };
        var client = new ClusterClientOptions();
        var command = new Command("stop", "Stop a running job with a savepoint and print the savepoint's location.") { jobId, withSavepoint, directory };
        client.AddTo(command);
        command.SetAction(r =>
        {
            if (!r.GetValue(withSavepoint))
                throw new ArgumentException("stop needs --with-savepoint (to stop a job without a savepoint, use `streamshield cancel`).");
            using var rest = client.CreateClient(r);
            var response = rest.StopWithSavepointAsync(r.GetValue(jobId)!, r.GetValue(directory)).GetAwaiter().GetResult();
            Console.WriteLine(response.Location);
            return 0;
        });
        return command;
    }

    /// <summary>The jobs as a plain text table, newest first.</summary>
    internal static string FormatTable(IReadOnlyList<JobSummary> jobs)
    {
        if (jobs.Count == 0) return "No jobs.";
        string[] header = ["ID", "NAME", "STATUS", "STARTED", "DURATION", "PARALLELISM", "RESTARTS", "CHECKPOINTS", "RECORDS IN", "RECORDS OUT"];
        var rows = jobs.OrderByDescending(j => j.StartTime).Select(j => new[]
        {
            j.Id, j.Name, j.Status, j.StartTime.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            FormatDuration(j.DurationSeconds), j.Parallelism.ToString(CultureInfo.InvariantCulture), j.Restarts.ToString(CultureInfo.InvariantCulture),
            j.CheckpointsCompleted.ToString(CultureInfo.InvariantCulture), j.RecordsIn.ToString("N0", CultureInfo.InvariantCulture),
            j.RecordsOut.ToString("N0", CultureInfo.InvariantCulture),
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var numeric = new[] { false, false, false, false, true, true, true, true, true, true };
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            var cells = row.Select((cell, i) => numeric[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
            text.AppendLine(string.Join("  ", cells).TrimEnd());
        }
        return text.ToString().TrimEnd();
    }

    private static string FormatDuration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:00}s" : $"{t.TotalSeconds:0.0}s";
    }
}
