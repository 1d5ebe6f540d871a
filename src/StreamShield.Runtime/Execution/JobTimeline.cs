using StreamShield.Execution;

namespace StreamShield.Runtime.Execution;

/// <summary>The job's event timeline: every failure, restart and checkpoint with a timestamp. Thread-safe.</summary>
internal sealed class JobTimeline(TimeProvider clock, Action<JobEvent>? listener = null)
{
    private readonly List<JobEvent> _events = new();

    public void Add(JobEventKind kind, string message)
    {
        var e = new JobEvent(clock.GetUtcNow(), kind, message);
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
