using StreamShield.Chaos;
using StreamShield.Chaos.Scenarios;

namespace StreamShield.Tests.Chaos;

/// <summary>Scenario files: the shipped ones load, bad ones fail with the place and the fix, and faults expand into timed actions.</summary>
public sealed class ScenarioTests : IDisposable
{
    private readonly TempDirectory _dir = new("chaos-scenarios");

    public void Dispose() => _dir.Dispose();

    private string Write(string yaml)
    {
        var path = _dir.Sub($"s-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void The_shipped_and_ci_scenarios_load_and_cover_every_fault_kind()
    {
        var shipped = ScenarioLoader.LoadAll(Repository.Path("chaos/scenarios"));
        var ci = ScenarioLoader.LoadAll(Repository.Path("chaos/ci"));
        string[] kinds = ["kill", "hang", "burst", "throttle", "exception", "slow-subtask", "slow-snapshots", "storage-refuses"];
        Assert.Equal(kinds, kinds.Where(k => shipped.Any(s => s.Faults.Any(f => f.Kind == k))));
        Assert.True(shipped.Count >= 10, $"{shipped.Count} shipped scenarios");
        Assert.All(shipped.Concat(ci), s => Assert.NotEmpty(s.Faults));
        Assert.Contains(shipped, s => s.Name == "worker-kill");
    }

    [Theory]
    [InlineData("workload: { kind: nope }", "workload.kind 'nope' is unknown")]
    [InlineData("faults: [ { kind: explode } ]", "faults[0].kind 'explode' is unknown; use one of kill, hang, burst, throttle, exception")]
    [InlineData("faults: [ { kind: kill, at: soon } ]", "faults[0].at 'soon' is not a duration")]
    [InlineData("faults: [ { kind: kill, target: worker-9 } ]", "faults[0].target 'worker-9' must be source, job, random or worker-1..worker-3")]
    [InlineData("cluster: { workers: 1, slots: 1 }", "fewer than the parallelism 2")]
    [InlineData("faults: [ { kind: kill, att: 5s } ]", "not valid")]
    public void A_bad_scenario_fails_naming_the_field_and_the_fix(string yaml, string expected)
    {
        var path = Write(yaml);
        var error = Assert.Throws<ArgumentException>(() => ScenarioLoader.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_burst_spreads_its_kills_over_its_window_and_actions_come_in_time_order()
    {
        var path = Write("""
            faults:
              - { kind: hang, at: 9s, duration: 2s }
              - { kind: burst, at: 2s, count: 3, within: 4s, target: random }
            """);
        var plan = FaultPlan.Expand(ScenarioLoader.Load(path).Faults);
        Assert.Equal([2.0, 4.0, 6.0, 9.0], plan.Select(a => a.At.TotalSeconds));
        Assert.Equal(["kill", "kill", "kill", "hang"], plan.Select(a => a.Kind));
        Assert.Equal(2, plan[^1].Duration.TotalSeconds);
    }
}
