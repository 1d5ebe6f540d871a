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
    /// Restart with a delay that starts at <paramref name="initial"/> and is multiplied by <paramref name="multiplier"/>
    /// on each failure up to <paramref name="max"/>; it resets to <paramref name="initial"/> after
    /// <paramref name="resetAfter"/> (default 1 h) without failures. <paramref name="jitter"/> (0 to 1) spreads each
    /// delay by up to that fraction either way, so jobs that failed together do not restart in lockstep.
    /// <paramref name="maxAttempts"/> bounds the restarts between two resets (default: no bound).
    /// </summary>
    public static RestartStrategy ExponentialBackoff(TimeSpan initial, TimeSpan max, double multiplier = 1.5, TimeSpan? resetAfter = null,
        double jitter = 0, int maxAttempts = int.MaxValue)
    {
        if (initial < TimeSpan.Zero || max < initial) throw new ArgumentOutOfRangeException(nameof(max), $"Exponential back-off needs 0 <= initial ({initial}) <= max ({max}).");
        if (multiplier < 1) throw new ArgumentOutOfRangeException(nameof(multiplier), $"The back-off multiplier must be at least 1, not {multiplier}.");
        if (jitter is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(jitter), $"The jitter factor must be between 0 and 1, not {jitter}.");
        if (maxAttempts < 0) throw new ArgumentOutOfRangeException(nameof(maxAttempts), $"The number of attempts must not be negative, not {maxAttempts}.");
        return new ExponentialBackoffRestart(initial, max, multiplier, resetAfter ?? TimeSpan.FromHours(1), jitter, maxAttempts);
    }

    /// <summary>
    /// The strategy a job gets when it sets none, the same embedded and on a cluster. Without checkpointing: none
    /// (there is no state to restart from). With checkpointing: exponential back-off as Flink's default since 1.19
    /// (×1.5 up to 1 min, ±10 % jitter, reset after 1 h without failures), except that the first delay is 100 ms
    /// rather than Flink's 1 s: a single crash should cost little more than its detection; the back-off is for a
    /// job that keeps failing, which reaches a minute between restarts after about 20 of them.
    /// </summary>
    internal static RestartStrategy Default(bool checkpointing) => checkpointing
        ? ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1), 1.5, TimeSpan.FromHours(1), jitter: 0.1)
        : None();

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

internal sealed class ExponentialBackoffRestart(TimeSpan initial, TimeSpan max, double multiplier, TimeSpan resetAfter, double jitter, int maxAttempts)
    : RestartStrategy
{
    internal override RestartBackoff CreateBackoff() => CreateBackoff(Random.Shared);

    /// <summary>The per-job state, with the randomness of its jitter given (tests pass a seeded one).</summary>
    internal RestartBackoff CreateBackoff(Random random) => new Backoff(this, random);

    public override string ToString() =>
        $"exponential-backoff(initial={initial.TotalMilliseconds}ms, max={max.TotalMilliseconds}ms, x{multiplier}, jitter={jitter}, reset after {resetAfter.TotalSeconds}s"
        + (maxAttempts == int.MaxValue ? ")" : $", attempts={maxAttempts})");

    private sealed class Backoff(ExponentialBackoffRestart s, Random random) : RestartBackoff
    {
        private TimeSpan _next = s.Initial;
        private DateTimeOffset? _last;
        private int _attempts;

        public override TimeSpan? OnFailure(DateTimeOffset now)
        {
            if (_last is { } last && now - last > s.ResetAfter)
            {
                _next = s.Initial;
                _attempts = 0;
            }
            _last = now;
            if (++_attempts > s.MaxAttempts) return null;
            var delay = _next;
            _next = TimeSpan.FromTicks(Math.Min(s.Max.Ticks, (long)(_next.Ticks * s.Multiplier)));
            if (s.Jitter > 0)
                delay = TimeSpan.FromTicks(Math.Max(0, (long)(delay.Ticks * (1 + s.Jitter * (2 * random.NextDouble() - 1)))));
            return delay;
        }
    }

    internal TimeSpan Initial => initial;
    internal TimeSpan Max => max;
    internal double Multiplier => multiplier;
    internal TimeSpan ResetAfter => resetAfter;
    internal double Jitter => jitter;
    internal int MaxAttempts => maxAttempts;
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
