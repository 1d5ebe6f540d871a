namespace StreamShield.Runtime.Tasks;

/// <summary>
/// Processing-time timers of one subtask, fired on the subtask's own thread by its loop (never from a timer
/// thread), so callbacks need no locks. Time comes from the job's <see cref="TimeProvider"/> (the determinism
/// boundary: tests inject a fake clock).
/// </summary>
internal sealed class ProcessingTimeService(TimeProvider clock)
{
    private readonly PriorityQueue<Action<long>, long> _timers = new();

    public long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public void Register(long timestamp, Action<long> callback) => _timers.Enqueue(callback, timestamp);

    /// <summary>Milliseconds until the next timer, or null if none.</summary>
    public long? NextDueIn(long now) => _timers.TryPeek(out _, out var ts) ? Math.Max(0, ts - now) : null;

    /// <summary>Fires every timer due at <paramref name="now"/>; returns how many fired.</summary>
    public int FireDue(long now)
    {
        var fired = 0;
        while (_timers.TryPeek(out var callback, out var ts) && ts <= now)
        {
            _timers.Dequeue();
            callback(now);
            fired++;
        }
        return fired;
    }
}
