using System.Globalization;
using System.Text;

namespace StreamShield.Cluster.Coordinator;

/// <summary>Renders the coordinator's view of workers and jobs in the Prometheus text exposition format (0.0.4).</summary>
internal static class ClusterMetrics
{
    public static string Render(IReadOnlyList<WorkerSession> workers, IReadOnlyList<ClusterJob> jobs)
    {
        var sb = new StringBuilder();
        sb.Append("# HELP streamshield_workers Registered live workers.\n# TYPE streamshield_workers gauge\n");
        sb.Append("streamshield_workers ").Append(workers.Count).Append('\n');
        Family(sb, "streamshield_worker_slots", "gauge", "Slots offered by a worker.", workers, WorkerLabels, w => w.Slots);
        Family(sb, "streamshield_worker_slots_free", "gauge", "Free slots of a worker.", workers, WorkerLabels, w => w.FreeSlots);
        Family(sb, "streamshield_worker_heartbeat_age_seconds", "gauge", "Time since the worker was last heard from.", workers, WorkerLabels,
            w => (Environment.TickCount64 - w.LastHeartbeatTicks) / 1000.0);
        Family(sb, "streamshield_worker_memory_bytes", "gauge", "Working set of the worker process.", workers, WorkerLabels, w => w.MemoryBytes);
        Family(sb, "streamshield_job_running", "gauge", "1 while the job is running or restarting, else 0.", jobs,
            j => $"job=\"{j.Id}\",name=\"{Escape(j.Name)}\"", j => j.IsTerminal ? 0 : 1);
        Family(sb, "streamshield_job_restarts_total", "counter", "Restarts of the job.", jobs, JobLabels, j => j.Restarts);
        Family(sb, "streamshield_job_checkpoints_completed_total", "counter", "Completed checkpoints of the job.", jobs, JobLabels, j => j.Checkpoints.Completed);
        Family(sb, "streamshield_job_checkpoints_failed_total", "counter", "Failed checkpoints of the job.", jobs, JobLabels, j => j.Checkpoints.Failed);
        Family(sb, "streamshield_job_records_in_total", "counter", "Records emitted by the job's sources (all attempts).", jobs, JobLabels, j => j.TotalRecordsIn);
        Family(sb, "streamshield_job_records_out_total", "counter", "Records written by the job's sinks (all attempts).", jobs, JobLabels, j => j.TotalRecordsOut);
        var subtasks = jobs.Where(j => !j.IsTerminal).SelectMany(j => j.Live().SelectMany(a => a.Subtasks).Select(s => (Job: j, Subtask: s))).ToList();
        Family(sb, "streamshield_subtask_backlog_buffers", "gauge", "Buffers a subtask sent and its consumers have not read yet.", subtasks,
            x => $"job=\"{x.Job.Id}\",vertex=\"{x.Subtask.Id.VertexId}\",subtask=\"{x.Subtask.Id.Subtask}\",worker=\"{Escape(x.Subtask.Worker.Id)}\"",
            x => x.Subtask.LastMetrics?.Backlog ?? 0);
        return sb.ToString();
    }

    private static string WorkerLabels(WorkerSession w) => $"worker=\"{Escape(w.Id)}\"";

    private static string JobLabels(ClusterJob j) => $"job=\"{j.Id}\"";

    private static void Family<T>(StringBuilder sb, string name, string type, string help, IEnumerable<T> items, Func<T, string> labels, Func<T, double> value)
    {
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var item in items)
            sb.Append(name).Append('{').Append(labels(item)).Append("} ").Append(value(item).ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static string Escape(string v) => v.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
