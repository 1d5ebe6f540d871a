namespace StreamShield;

/// <summary>
/// What happens when a task fails: whether the job restarts (from the latest completed checkpoint) and after
/// what delay. Flink's restart strategies, with the same names.
/// </summary>
public abstract class RestartStrategy
{
    private protected RestartStrategy() { }

    /// <summary>Never restart: the first failure fails the job.</summary>
    public static RestartStrategy None() => new NoRestart();

    /// <summary>Restart up to <paramref name="attempts"/> times in total, waiting <paramref name="delay"/> before each.</summary>
    public static RestartStrategy FixedDelay(int attempts, TimeSpan delay) => new FixedDelayRestart(attempts, delay);

    /// <summary>
    /// Restart without limit, with a delay that starts at <paramref name="initial"/> and is multiplied by
    /// <paramref name="multiplier"/> on each failure up to <paramref name="max"/>; it resets after <paramref name="resetAfter"/> without failures.
    /// </summary>
    public static RestartStrategy ExponentialBackoff(TimeSpan initial, TimeSpan max, double multiplier = 2.0, TimeSpan? resetAfter = null) =>
        new ExponentialBackoffRestart(initial, max, multiplier, resetAfter ?? TimeSpan.FromHours(1));

    /// <summary>Restart while fewer than <paramref name="maxFailures"/> failures happened within <paramref name="interval"/>.</summary>
    public static RestartStrategy FailureRate(int maxFailures, TimeSpan interval, TimeSpan delay) => new FailureRateRestart(maxFailures, interval, delay);

    /// <summary>Creates the per-job decision state.</summary>
    internal abstract RestartBackoff CreateBackoff();
}

/// <summary>Per-job state of a restart strategy: decides each failure.</summary>
internal abstract class RestartBackoff
{
    /// <summary>Records a failure at <paramref name="now"/> and returns the delay before restarting, or null to fail the job.</summary>
    public abstract TimeSpan? OnFailure(DateTimeOffset now);
}

internal sealed class NoRestart : RestartStrategy
{
    internal override RestartBackoff CreateBackoff() => new Backoff();
    private sealed class Backoff : RestartBackoff { public override TimeSpan? OnFailure(DateTimeOffset now) => null; }
    public override string ToString() => "none";
}

internal sealed class FixedDelayRestart(int attempts, TimeSpan delay) : RestartStrategy
{
    internal override RestartBackoff CreateBackoff() => new Backoff(attempts, delay);
    public override string ToString() => $"fixed-delay(attempts={attempts}, delay={delay.TotalMilliseconds}ms)";

    private sealed class Backoff(int attempts, TimeSpan delay) : RestartBackoff
    {
        private int _used;
        public override TimeSpan? OnFailure(DateTimeOffset now) => ++_used <= attempts ? delay : null;
    }
}

internal sealed class ExponentialBackoffRestart(TimeSpan initial, TimeSpan max, double multiplier, TimeSpan resetAfter) : RestartStrategy
{
    internal override RestartBackoff CreateBackoff() => new Backoff(initial, max, multiplier, resetAfter);
    public override string ToString() => $"exponential-backoff(initial={initial.TotalMilliseconds}ms, max={max.TotalMilliseconds}ms, x{multiplier})";

    private sealed class Backoff(TimeSpan initial, TimeSpan max, double multiplier, TimeSpan resetAfter) : RestartBackoff
    {
        private readonly TimeSpan _initial = initial;
        private TimeSpan _next = initial;
        private DateTimeOffset? _last;

        public override TimeSpan? OnFailure(DateTimeOffset now)
        {
            if (_last is { } last && now - last > resetAfter) _next = _initial;
            _last = now;
            var delay = _next;
            _next = TimeSpan.FromTicks(Math.Min(max.Ticks, (long)(_next.Ticks * multiplier)));
            return delay;
        }
    }
}

internal sealed class FailureRateRestart(int maxFailures, TimeSpan interval, TimeSpan delay) : RestartStrategy
{
    internal override RestartBackoff CreateBackoff() => new Backoff(maxFailures, interval, delay);
    public override string ToString() => $"failure-rate(max={maxFailures} per {interval.TotalSeconds}s, delay={delay.TotalMilliseconds}ms)";

    private sealed class Backoff(int maxFailures, TimeSpan interval, TimeSpan delay) : RestartBackoff
    {
        private readonly Queue<DateTimeOffset> _failures = new();

        public override TimeSpan? OnFailure(DateTimeOffset now)
        {
            _failures.Enqueue(now);
            while (_failures.Count > 0 && now - _failures.Peek() > interval) _failures.Dequeue();
            return _failures.Count <= maxFailures ? delay : null;
        }
    }
}
