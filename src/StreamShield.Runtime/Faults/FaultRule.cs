using System.Globalization;

namespace StreamShield.Runtime.Faults;

/// <summary>What an armed fault point does.</summary>
internal enum FaultAction
{
    /// <summary>Throws <see cref="InjectedFaultException"/>.</summary>
    Throw,
    /// <summary>Sleeps for the rule's delay (a slow disk, a hung call).</summary>
    Delay,
}

/// <summary>
/// One armed fault point, parsed from configuration <c>fault.&lt;point&gt; = &lt;action&gt;[:option=value]*</c>, for example
/// <c>throw:after=5000:subtask=1</c> or <c>delay:ms=2000:times=3</c>. Options: <c>after</c> (hits to let pass first),
/// <c>times</c> (how many times to fire, default 1), <c>subtask</c>, <c>attempt</c> (which job attempt, default 0, so
/// that the restarted job can recover; -1 for all), <c>probability</c> with <c>seed</c> (random firing, reproducible),
/// <c>ms</c> (delay length), <c>afterms</c> (milliseconds after the job started before the point may fire).
/// </summary>
internal sealed class FaultRule
{
    private long _hits;
    private long _fired;
    private readonly Random? _random;

    private readonly long _armedAt;

    private FaultRule(string point, FaultAction action, long after, long times, int? subtask, int attempt, double probability, int delayMs, int seed, long afterMs)
    {
        _armedAt = System.Diagnostics.Stopwatch.GetTimestamp() + afterMs * System.Diagnostics.Stopwatch.Frequency / 1000;
        Point = point;
        Action = action;
        After = after;
        Times = times;
        Subtask = subtask;
        Attempt = attempt;
        Probability = probability;
        DelayMs = delayMs;
        if (probability < 1.0) _random = new Random(seed);
    }

    public string Point { get; }
    public FaultAction Action { get; }
    public long After { get; }
    public long Times { get; }
    public int? Subtask { get; }
    public int Attempt { get; }
    public double Probability { get; }
    public int DelayMs { get; }
    public long Fired => Interlocked.Read(ref _fired);

    /// <summary>Counts a hit and reports whether the fault fires now.</summary>
    public bool ShouldFire(int subtask, int attempt)
    {
        if (Subtask is { } s && s != subtask) return false;
        if (Attempt >= 0 && Attempt != attempt) return false;
        if (System.Diagnostics.Stopwatch.GetTimestamp() < _armedAt) return false;
        var hit = Interlocked.Increment(ref _hits);
        if (hit <= After || Interlocked.Read(ref _fired) >= Times) return false;
        if (_random is not null)
        {
            lock (_random) if (_random.NextDouble() >= Probability) return false;
        }
        return Interlocked.Increment(ref _fired) <= Times;
    }

    public static FaultRule Parse(string point, string spec)
    {
        var parts = spec.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw Bad(point, spec, "it is empty");
        var action = parts[0].ToLowerInvariant() switch
        {
            "throw" => FaultAction.Throw,
            "delay" => FaultAction.Delay,
            _ => throw Bad(point, spec, $"unknown action '{parts[0]}' (use throw or delay)"),
        };
        long after = 0, times = 1;
        int? subtask = null;
        int attempt = 0, delay = 1000, seed = 0;
        long afterMs = 0;
        double probability = 1.0;
        foreach (var option in parts.Skip(1))
        {
            var kv = option.Split('=', 2);
            if (kv.Length != 2) throw Bad(point, spec, $"option '{option}' is not name=value");
            var v = kv[1];
            try
            {
                switch (kv[0].ToLowerInvariant())
                {
                    case "after": after = long.Parse(v, CultureInfo.InvariantCulture); break;
                    case "times": times = long.Parse(v, CultureInfo.InvariantCulture); break;
                    case "subtask": subtask = int.Parse(v, CultureInfo.InvariantCulture); break;
                    case "attempt": attempt = int.Parse(v, CultureInfo.InvariantCulture); break;
                    case "probability": probability = double.Parse(v, CultureInfo.InvariantCulture); break;
                    case "seed": seed = int.Parse(v, CultureInfo.InvariantCulture); break;
                    case "ms": delay = int.Parse(v, CultureInfo.InvariantCulture); break;
                    case "afterms": afterMs = long.Parse(v, CultureInfo.InvariantCulture); break;
                    default: throw Bad(point, spec, $"unknown option '{kv[0]}' (use after, afterms, times, subtask, attempt, probability, seed, ms)");
                }
            }
            catch (FormatException)
            {
                throw Bad(point, spec, $"option '{option}' has a malformed number");
            }
        }
        return new FaultRule(point, action, after, times, subtask, attempt, probability, delay, seed, afterMs);
    }

    private static JobBuildException Bad(string point, string spec, string why) =>
        new($"Fault injection setting 'fault.{point} = {spec}' is invalid: {why}. Example: 'throw:after=1000:subtask=0'.");
}

/// <summary>Thrown by an armed fault point.</summary>
public sealed class InjectedFaultException(string message) : Exception(message);
