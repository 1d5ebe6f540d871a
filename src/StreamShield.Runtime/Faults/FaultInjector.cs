namespace StreamShield.Runtime.Faults;

/// <summary>
/// The armed fault points of a job. Runtime code asks for a point's rule once (at task start) and keeps it; a
/// disarmed point is a null rule, so the hot path pays one null check.
/// </summary>
internal sealed class FaultInjector
{
    private readonly Dictionary<string, FaultRule> _rules;
    private readonly Action<string>? _onFire;

    private FaultInjector(Dictionary<string, FaultRule> rules, Action<string>? onFire)
    {
        _rules = rules;
        _onFire = onFire;
    }

    /// <summary>Parses the <c>fault.*</c> settings; returns null when none is set.</summary>
    public static FaultInjector? FromConfiguration(IDictionary<string, string> configuration, Action<string>? onFire)
    {
        var rules = new Dictionary<string, FaultRule>(StringComparer.Ordinal);
        foreach (var (key, value) in configuration)
        {
            if (!key.StartsWith("fault.", StringComparison.Ordinal)) continue;
            var point = key["fault.".Length..];
            if (!FaultPoints.All.Contains(point))
                throw new JobBuildException($"Unknown fault-injection point '{point}' in setting '{key}'. Known points: {string.Join(", ", FaultPoints.All)}.");
            rules[point] = FaultRule.Parse(point, value);
        }
        return rules.Count == 0 ? null : new FaultInjector(rules, onFire);
    }

    public FaultRule? Rule(string point) => _rules.GetValueOrDefault(point);

    public long TotalFired => _rules.Values.Sum(r => r.Fired);

    /// <summary>Fires <paramref name="rule"/> if due: throws or delays.</summary>
    public void Hit(FaultRule rule, int subtask, int attempt, string where)
    {
        if (!rule.ShouldFire(subtask, attempt)) return;
        _onFire?.Invoke($"Injected {rule.Action.ToString().ToLowerInvariant()} at {rule.Point} in {where}");
        if (rule.Action == FaultAction.Delay) { Thread.Sleep(rule.DelayMs); return; }
        throw new InjectedFaultException($"Injected fault at '{rule.Point}' in {where}.");
    }
}
