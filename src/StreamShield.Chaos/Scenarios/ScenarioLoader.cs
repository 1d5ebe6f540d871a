using StreamShield.Runtime.Execution;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace StreamShield.Chaos.Scenarios;

/// <summary>Reads and checks scenario files (YAML, camelCase keys); a bad file fails with one message naming the file, the place and the fix.</summary>
public static class ScenarioLoader
{
    private static readonly string[] FaultKinds = ["kill", "hang", "burst", "throttle", "exception", "slow-subtask", "slow-snapshots", "storage-refuses"];

    /// <summary>Fault kinds armed through the job's configuration at submission (their <c>at</c> counts from the job's start).</summary>
    internal static readonly string[] ConfiguredKinds = ["exception", "slow-subtask", "slow-snapshots"];
    private static readonly string[] Workloads = ["windowed-counts", "nexmark"];

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    /// <summary>The scenario in <paramref name="path"/>. Throws <see cref="ArgumentException"/> with the problem.</summary>
    public static Scenario Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Scenario file '{path}' does not exist.");
        Scenario scenario;
        try
        {
            scenario = Yaml.Deserialize<Scenario>(File.ReadAllText(path)) ?? new Scenario();
        }
        catch (YamlException e)
        {
            throw new ArgumentException($"Scenario '{path}' is not valid ({e.Start}): {(e.InnerException ?? e).Message}");
        }
        if (string.IsNullOrWhiteSpace(scenario.Name)) scenario.Name = Path.GetFileNameWithoutExtension(path);
        Validate(scenario, path);
        return scenario;
    }

    /// <summary>Every <c>*.yaml</c> scenario in <paramref name="directory"/>, by name.</summary>
    public static IReadOnlyList<Scenario> LoadAll(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Scenario directory '{directory}' does not exist.");
        var files = Directory.GetFiles(directory, "*.yaml").Concat(Directory.GetFiles(directory, "*.yml")).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new ArgumentException($"'{directory}' holds no scenario (*.yaml).");
        return files.Select(Load).ToList();
    }

    /// <summary>A duration of a scenario field (<c>5s</c>, <c>500ms</c>, <c>1min</c>).</summary>
    public static TimeSpan Duration(string text, string field) =>
        ConfigDuration.TryParse(text, out var t) && !text.Trim().All(char.IsDigit)
            ? t
            : throw new ArgumentException($"{field} '{text}' is not a duration: give a number with a unit, e.g. 5s or 500ms.");

    private static void Validate(Scenario s, string path)
    {
        void Check(bool ok, string message)
        {
            if (!ok) throw new ArgumentException($"Scenario '{path}': {message}");
        }
        Check(Workloads.Contains(s.Workload.Kind), $"workload.kind '{s.Workload.Kind}' is unknown; use one of {string.Join(", ", Workloads)}.");
        Check(s.Workload.Events > 0 && s.Workload.Rate > 0, "workload.events and workload.rate must be positive.");
        if (s.Workload.Kind == "nexmark")
        {
            Check(s.Workload.Rate <= int.MaxValue, "workload.rate is too large for the nexmark workload.");
            Check(!s.Slo.ExactlyOnce, "a nexmark workload discards its rows (it records their latency), so its output cannot be checked: set slo.exactlyOnce: false.");
            Wrap(() => StreamShield.Connectors.Nexmark.Queries.NexmarkQueries.Get(s.Workload.Query));
        }
        Check(s.Workload.Parallelism >= 1 && s.Workload.Users >= 1, "workload.parallelism and workload.users must be at least 1.");
        Check(s.Cluster.Workers >= 1 && s.Cluster.Slots >= 1, "cluster.workers and cluster.slots must be at least 1.");
        Check(s.Cluster.Workers * s.Cluster.Slots >= s.Workload.Parallelism, $"the cluster has {s.Cluster.Workers * s.Cluster.Slots} slots, fewer than the parallelism {s.Workload.Parallelism}.");
        Check(s.DeadlineSeconds > 0, "deadlineSeconds must be positive.");
        Wrap(() => Duration(s.Workload.CheckpointInterval, "workload.checkpointInterval"));
        for (var i = 0; i < s.Faults.Count; i++)
        {
            var f = s.Faults[i];
            var at = $"faults[{i}]";
            Check(FaultKinds.Contains(f.Kind), $"{at}.kind '{f.Kind}' is unknown; use one of {string.Join(", ", FaultKinds)}.");
            Wrap(() => Duration(f.At, $"{at}.at"));
            Check(f.Target is "source" or "job" or "random" || (f.Target.StartsWith("worker-", StringComparison.Ordinal) && int.TryParse(f.Target[7..], out var n) && n >= 1 && n <= s.Cluster.Workers),
                $"{at}.target '{f.Target}' must be source, job, random or worker-1..worker-{s.Cluster.Workers}.");
            if (f.Kind is "hang" or "throttle" or "storage-refuses") Wrap(() => Duration(f.Duration, $"{at}.duration"));
            if (f.Kind == "throttle") Check(f.Duty is > 0 and < 1, $"{at}.duty must be between 0 and 1 (the fraction of time the worker is stopped).");
            if (f.Kind is "slow-subtask" or "slow-snapshots") Check(f.DelayMs > 0 && f.Turns > 0, $"{at}.delayMs and {at}.turns must be positive.");
            if (f.Kind == "storage-refuses") Check(s.Workload.Kind is "windowed-counts" or "nexmark", $"{at}: storage-refuses needs a checkpointed workload.");
            if (f.Kind == "burst")
            {
                Check(f.Count >= 1, $"{at}.count must be at least 1.");
                Wrap(() => Duration(f.Within, $"{at}.within"));
            }
            if (f.Kind is "exception" or "slow-subtask") Check(f.Subtask >= 0 && f.Subtask < s.Workload.Parallelism, $"{at}.subtask must be below the parallelism {s.Workload.Parallelism}.");
        }
        Check(s.Faults.Count(f => f.Kind is "exception" or "slow-subtask") <= 1, "at most one exception or slow-subtask fault per scenario (both arm the job's task.process fault point).");
        Check(s.Faults.Count(f => f.Kind == "slow-snapshots") <= 1, "at most one slow-snapshots fault per scenario (it arms the job's state.snapshot fault point).");

        void Wrap(Action parse)
        {
            try { parse(); }
            catch (ArgumentException e) { throw new ArgumentException($"Scenario '{path}': {e.Message}"); }
        }
    }
}
