using System.Globalization;

namespace StreamShield.Runtime.Execution;

/// <summary>
/// The restart strategy as configuration, with Flink's keys and defaults (<c>restart-strategy.type</c> and its
/// options), so it can be set with <c>-D</c> on <c>run</c> and <c>submit</c> without touching the job's code.
/// Precedence: a <c>restart-strategy.type</c> entry in the configuration, else <see cref="StreamEnvironment.RestartStrategy"/>
/// set in code, else <see cref="RestartStrategy.Default"/>. Embedded and cluster jobs resolve it here alike.
/// </summary>
internal static class RestartStrategyConfiguration
{
    public const string TypeKey = "restart-strategy.type";
    private const string Fixed = "restart-strategy.fixed-delay.";
    private const string Rate = "restart-strategy.failure-rate.";
    private const string Exponential = "restart-strategy.exponential-delay.";

    /// <summary>Every key this class reads (for the list of known configuration keys).</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        TypeKey,
        Fixed + "attempts", Fixed + "delay",
        Rate + "max-failures-per-interval", Rate + "failure-rate-interval", Rate + "delay",
        Exponential + "initial-backoff", Exponential + "max-backoff", Exponential + "backoff-multiplier",
        Exponential + "jitter-factor", Exponential + "reset-backoff-threshold", Exponential + "attempts-before-reset-backoff",
    ];

    /// <summary>The job's restart strategy. Throws <see cref="JobBuildException"/> naming the key for a bad value.</summary>
    public static RestartStrategy Resolve(StreamEnvironment env) =>
        FromConfiguration(env.Configuration) ?? env.RestartStrategy ?? RestartStrategy.Default(env.Checkpointing.Interval is not null);

    /// <summary>The strategy the configuration names, or null if it names none.</summary>
    public static RestartStrategy? FromConfiguration(IDictionary<string, string> config)
    {
        foreach (var key in Keys.Skip(1))
            if (config.ContainsKey(key) && !config.ContainsKey(TypeKey))
                throw new JobBuildException($"Configuration '{key}' needs '{TypeKey}' to choose the strategy it belongs to (none, fixed-delay, failure-rate or exponential-delay).");
        if (!config.TryGetValue(TypeKey, out var type)) return null;
        switch (type.Trim().ToLowerInvariant())
        {
            case "none" or "off" or "disable":
                return RestartStrategy.None();
            case "fixed-delay" or "fixeddelay":
                return RestartStrategy.FixedDelay(Int(config, Fixed + "attempts", 1, 0), Time(config, Fixed + "delay", TimeSpan.FromSeconds(1)));
            case "failure-rate" or "failurerate":
                return RestartStrategy.FailureRate(Int(config, Rate + "max-failures-per-interval", 1, 1),
                    Time(config, Rate + "failure-rate-interval", TimeSpan.FromMinutes(1)), Time(config, Rate + "delay", TimeSpan.FromSeconds(1)));
            case "exponential-delay" or "exponentialdelay":
                var initial = Time(config, Exponential + "initial-backoff", TimeSpan.FromMilliseconds(100));
                var max = Time(config, Exponential + "max-backoff", TimeSpan.FromMinutes(1));
                if (max < initial)
                    throw new JobBuildException($"Configuration '{Exponential}max-backoff' ({max}) must not be below '{Exponential}initial-backoff' ({initial}).");
                var multiplier = Number(config, Exponential + "backoff-multiplier", 1.5, 1, double.MaxValue);
                var jitter = Number(config, Exponential + "jitter-factor", 0.1, 0, 1);
                return RestartStrategy.ExponentialBackoff(initial, max, multiplier, Time(config, Exponential + "reset-backoff-threshold", TimeSpan.FromHours(1)),
                    jitter, Int(config, Exponential + "attempts-before-reset-backoff", int.MaxValue, 0));
            default:
                throw new JobBuildException($"Configuration '{TypeKey} = {type}' must be one of none, fixed-delay, failure-rate, exponential-delay.");
        }
    }

    private static int Int(IDictionary<string, string> config, string key, int fallback, int min)
    {
        if (!config.TryGetValue(key, out var v)) return fallback;
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min)
            throw new JobBuildException($"Configuration '{key} = {v}' must be an integer ≥ {min}.");
        return n;
    }

    private static double Number(IDictionary<string, string> config, string key, double fallback, double min, double max)
    {
        if (!config.TryGetValue(key, out var v)) return fallback;
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < min || n > max || double.IsNaN(n))
            throw new JobBuildException($"Configuration '{key} = {v}' must be a number{(max == double.MaxValue ? $" ≥ {min}" : $" from {min} to {max}")}.");
        return n;
    }

    private static TimeSpan Time(IDictionary<string, string> config, string key, TimeSpan fallback)
    {
        if (!config.TryGetValue(key, out var v)) return fallback;
        return ConfigDuration.TryParse(v, out var t) ? t
            : throw new JobBuildException($"Configuration '{key} = {v}' must be a duration with a unit, for example 500ms, 10s, 1min or 1h.");
    }
}
