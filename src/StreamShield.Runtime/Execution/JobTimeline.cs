using StreamShield.Execution;

namespace StreamShield.Runtime.Execution;

/// <summary>
/// The job's event timeline: failures, restarts and checkpoints with a timestamp. Thread-safe. It keeps the newest
/// <see cref="Capacity"/> events (a job that runs for weeks checkpoints a million times); <see cref="Dropped"/> counts
/// the older ones let go.
/// </summary>
internal sealed class JobTimeline(TimeProvider clock, Action<JobEvent>? listener = null)
{
    /// <summary>Events kept; the oldest go first.</summary>
    public const int Capacity = 5000;

    private readonly Queue<JobEvent> _events = new();
    private long _dropped;

    /// <summary>Events let go to stay within <see cref="Capacity"/>.</summary>
    public long Dropped
    {
        get { lock (_events) return _dropped; }
    }

    /// <summary>
    /// Appends an event stamped now, or at <paramref name="time"/> when the caller decided something at that time.
    /// <paramref name="detail"/> carries what does not fit one line (a failure's whole exception).
    /// </summary>
    public void Add(JobEventKind kind, string message, DateTimeOffset? time = null, string? detail = null)
    {
        var e = new JobEvent(time ?? clock.GetUtcNow(), kind, message, detail);
        lock (_events)
        {
            _events.Enqueue(e);
            while (_events.Count > Capacity)
            {
                _events.Dequeue();
                _dropped++;
            }
        }
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
