using System.Text.Json;
using StreamShield.Tests.Cluster.Integration;

namespace StreamShield.Tests.Chaos;

/// <summary>
/// The CI chaos suite (chaos/ci) as a user runs it: `streamshield chaos suite DIR --json --report DIR` on real
/// processes. Every scenario must meet its SLO (exactly-once output, bounded recovery), and the report must be there.
/// </summary>
[Collection(nameof(ClusterProcessesCollection))]
public sealed class ChaosSuiteCliTests : IDisposable
{
    private readonly TempDirectory _dir = new("chaos-suite");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_ci_suite_meets_every_slo_with_exactly_once_output_and_writes_its_report()
    {
        var ci = Repository.Path("chaos/ci");
        var report = _dir.Sub("report");
        var run = CliProcess.Run(["chaos", "suite", ci, "--json", "--report", report, "--work-dir", _dir.Sub("work")], null, TimeSpan.FromMinutes(5));

        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).ToList();
        Assert.True(lines.Count == 2, run.ToString());
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            var name = r.GetProperty("scenario").GetString();
            Assert.True(r.GetProperty("passed").GetBoolean(), $"{name} failed: {line}\n{run.Stderr}");
            Assert.Equal(0, r.GetProperty("lost").GetInt64());
            Assert.Equal(0, r.GetProperty("duplicated").GetInt64());
            Assert.Equal(0, r.GetProperty("wrong").GetInt64());
            Assert.True(r.GetProperty("faults").GetInt32() >= 1, line);
            Assert.True(r.GetProperty("restarts").GetInt32() >= 1, $"{name}: the fault caused no restart: {line}");
            foreach (var field in new[] { "seed", "detectSeconds", "recoverySeconds", "zeroOutputSeconds" }) Assert.True(r.TryGetProperty(field, out _), field);
            Assert.True(File.Exists(Path.Combine(report, $"{name}.html")));
            Assert.Contains("<polyline", File.ReadAllText(Path.Combine(report, $"{name}.html")));
        }
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("2 of 2 scenarios passed", File.ReadAllText(Path.Combine(report, "index.html")));
    }
}
