using System.CommandLine;
using System.Text.Json;
using StreamShield.Chaos.Reports;
using StreamShield.Chaos.Runs;
using StreamShield.Chaos.Scenarios;
using StreamShield.Cli.Cluster;

namespace StreamShield.Cli;

/// <summary>
/// `streamshield chaos run|suite`: runs chaos scenarios (YAML) against a local multi-process cluster and judges each
/// run against its SLO. Progress goes to stderr (a line per phase and every 2 s); results to stdout.
/// </summary>
internal static class ChaosCommand
{
    /// <summary>The shipped scenarios, copied next to the CLI.</summary>
    internal static string ShippedScenarios => Path.Combine(AppContext.BaseDirectory, "chaos-scenarios");

    public static Command Create() => new("chaos", "Chaos testing: inject faults into a job on a local cluster and check exactly-once output and recovery against an SLO.")
    {
        Run(),
        Suite(),
    };

    private static Command Run()
    {
        var file = new Argument<string>("scenario") { Description = "A scenario file (YAML), e.g. chaos/scenarios/worker-kill.yaml." };
        var (json, report, seed, workDir) = CommonOptions();
        var command = new Command("run", "Run one scenario; exit code 0 if it met its SLO, 1 if not.") { file, json, report, seed, workDir };
        command.SetAction(r =>
        {
            var scenario = ScenarioLoader.Load(r.GetValue(file)!);
            var results = Execute([scenario], r.GetValue(seed), r.GetValue(workDir), r.GetValue(json), r.GetValue(report));
            return results.All(x => x.Passed) ? 0 : 1;
        });
        return command;
    }

    private static Command Suite()
    {
        var dir = new Argument<string?>("directory") { Description = "A folder of scenario files (default: the shipped scenarios).", Arity = ArgumentArity.ZeroOrOne };
        var (json, report, seed, workDir) = CommonOptions();
        var command = new Command("suite", "Run every scenario in a folder; exit code 0 only if all met their SLO.") { dir, json, report, seed, workDir };
        command.SetAction(r =>
        {
            var scenarios = ScenarioLoader.LoadAll(r.GetValue(dir) ?? ShippedScenarios);
            var results = Execute(scenarios, r.GetValue(seed), r.GetValue(workDir), r.GetValue(json), r.GetValue(report));
            if (r.GetValue(report) is { } reportDir) Console.Error.WriteLine($"Suite report: {HtmlReport.WriteSuite(results, reportDir)}");
            if (!r.GetValue(json))
            {
                Console.WriteLine();
                Console.WriteLine($"{results.Count(x => x.Passed)} of {results.Count} scenarios passed");
                foreach (var x in results)
                    Console.WriteLine($"  {(x.Passed ? "passed" : "FAILED")}  {x.Scenario,-28} recovery {Seconds(x.RecoverySeconds)}, lost {x.Oracle?.Lost}, duplicated {x.Oracle?.Duplicated}, wrong {x.Oracle?.Wrong}");
            }
            return results.All(x => x.Passed) ? 0 : 1;
        });
        return command;
    }

    private static (Option<bool> Json, Option<string?> Report, Option<int?> Seed, Option<string?> WorkDir) CommonOptions() =>
    (
        new Option<bool>("--json") { Description = "Print one JSON object per scenario (scenario, seed, faults, lost, duplicated, wrong, detectSeconds, recoverySeconds, zeroOutputSeconds, passed, ...)." },
        new Option<string?>("--report") { Description = "Write a self-contained HTML report per scenario (and index.html for a suite) into this folder." },
        new Option<int?>("--seed") { Description = "Seed of every random choice, instead of the scenario's." },
        new Option<string?>("--work-dir") { Description = "Where the clusters and outputs go (default: a temporary folder, removed after a passed run)." }
    );

    private static List<ChaosResult> Execute(IReadOnlyList<Scenario> scenarios, int? seed, string? workDir, bool json, string? reportDir)
    {
        var root = workDir ?? Path.Combine(Path.GetTempPath(), $"streamshield-chaos-{Guid.NewGuid():N}");
        var runner = new ChaosRunner(ClusterCommand.SelfCommandLine(), m => Console.Error.WriteLine(m));
        var results = new List<ChaosResult>();
        foreach (var scenario in scenarios)
        {
            ChaosResult result;
            try
            {
                result = runner.Run(scenario, seed, root);
            }
            catch (Exception e) when (e is InvalidOperationException or StreamShield.Cluster.Model.ClusterRequestException or IOException or UnauthorizedAccessException)
            {
                // One broken run does not end the suite: it fails with the reason.
                Console.Error.WriteLine($"{scenario.Name}: the run itself failed: {e.Message}");
                result = new ChaosResult(scenario.Name, scenario.Description, seed ?? scenario.Seed, "Error", 0, null, null, [], [], null, 0, [], [], [], false,
                    [$"the run itself failed: {e.GetType().Name}: {e.Message}"]);
            }
            results.Add(result);
            if (json) Console.WriteLine(JsonSerializer.Serialize(result.Summary(), ClusterClientOptions.Json));
            else
            {
                Console.WriteLine($"{result.Scenario}: {(result.Passed ? "passed" : "FAILED")} (seed {result.Seed}): job {result.JobStatus}, {result.Faults.Count} faults, " +
                                  $"{result.Oracle?.Lost} lost, {result.Oracle?.Duplicated} duplicated, {result.Oracle?.Wrong} wrong; detect {Seconds(result.DetectSeconds)}, " +
                                  $"recovery {Seconds(result.RecoverySeconds)}, zero output {result.ZeroOutputSeconds:0.00} s");
                foreach (var reason in result.Reasons) Console.WriteLine($"  - {reason}");
            }
            if (reportDir is not null) Console.Error.WriteLine($"Report: {HtmlReport.Write(result, reportDir)}");
        }
        // Keep the evidence of a failed run (cluster logs, output) unless the user chose the folder.
        if (workDir is null && results.All(r => r.Passed))
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
        }
        else if (results.Any(r => !r.Passed)) Console.Error.WriteLine($"Logs and outputs of the runs: {root}");
        return results;
    }

    private static string Seconds(double? s) => s is { } x ? $"{x:0.00} s" : "never";
}
