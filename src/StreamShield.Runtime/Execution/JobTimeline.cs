using StreamShield.Execution;

namespace StreamShield.Runtime.Execution;

/// <summary>The job's event timeline: every failure, restart and checkpoint with a timestamp. Thread-safe.</summary>
internal sealed class JobTimeline(TimeProvider clock, Action<JobEvent>? listener = null)
{
    private readonly List<JobEvent> _events = new();

    /// <summary>
    /// Appends an event stamped now, or at <paramref name="time"/> when the caller decided something at that time.
    /// <paramref name="detail"/> carries what does not fit one line (a failure's whole exception).
    /// </summary>
    public void Add(JobEventKind kind, string message, DateTimeOffset? time = null, string? detail = null)
    {
        var e = new JobEvent(time ?? clock.GetUtcNow(), kind, message, detail);
        lock (_events) _events.Add(e);
        listener?.Invoke(e);
    }

    public IReadOnlyList<JobEvent> Snapshot()
    {
        lock (_events) return _events.ToList();
    }

    public int Count(JobEventKind kind)
    {
        lock (_events) return _events.Count(e => e.Kind == kind);
    }
}
