using StreamShield.Chaos.Scenarios;

namespace StreamShield.Chaos;

/// <summary>One fault action at a time after steady state: a kill, a hang of a duration, or an exception (armed at submission).</summary>
public sealed record FaultAction(TimeSpan At, string Kind, string Target, TimeSpan Duration, double Duty = 0);

/// <summary>Turns a scenario's faults into timed actions: a burst becomes its kills spread evenly over its window.</summary>
public static class FaultPlan
{
    public static IReadOnlyList<FaultAction> Expand(IEnumerable<FaultSpec> faults)
    {
        var actions = new List<FaultAction>();
        foreach (var f in faults)
        {
            var at = ScenarioLoader.Duration(f.At, "at");
            switch (f.Kind)
            {
                case "burst":
                    var within = ScenarioLoader.Duration(f.Within, "within");
                    for (var i = 0; i < f.Count; i++)
                        actions.Add(new FaultAction(at + (f.Count == 1 ? TimeSpan.Zero : within * i / (f.Count - 1)), "kill", f.Target, TimeSpan.Zero));
                    break;
                case "hang" or "throttle" or "storage-refuses":
                    actions.Add(new FaultAction(at, f.Kind, f.Target, ScenarioLoader.Duration(f.Duration, "duration"), f.Duty));
                    break;
                default:
                    actions.Add(new FaultAction(at, f.Kind, f.Target, TimeSpan.Zero));
                    break;
            }
        }
        return actions.OrderBy(a => a.At).ToList();
    }
}
