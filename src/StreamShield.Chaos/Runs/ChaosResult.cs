using StreamShield.Cluster.Model;

namespace StreamShield.Chaos.Runs;

/// <summary>Everything one scenario run produced: what happened, the oracle's and the recovery figures, and the verdict against the SLO.</summary>
public sealed record ChaosResult(
    string Scenario,
    string Description,
    int Seed,
    string JobStatus,
    double Seconds,
    double? SteadySeconds,
    double? PreFaultPerSecond,
    IReadOnlyList<InjectedFault> Faults,
    IReadOnlyList<FaultRecovery> Recoveries,
    OracleVerdict? Oracle,
    int Restarts,
    IReadOnlyList<RunSample> Samples,
    IReadOnlyList<TimelineEvent> Timeline,
    IReadOnlyList<CheckpointInfo> Checkpoints,
    bool Passed,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<(double Seconds, double P99Ms)>? Latency = null,
    double? PreFaultP99Ms = null)
{
    /// <summary>The slowest detection, recovery and longest zero-output stretch over the faults (null: a phase never ended).</summary>
    public double? DetectSeconds => Recoveries.Count == 0 ? 0 : Recoveries.Any(r => r.DetectSeconds is null && r.RecoverySeconds is > 0) ? null : Recoveries.Max(r => r.DetectSeconds ?? 0);
    public double? RecoverySeconds => Recoveries.Count == 0 ? 0 : Recoveries.Any(r => r.RecoverySeconds is null) ? null : Recoveries.Max(r => r.RecoverySeconds!.Value);
    public double ZeroOutputSeconds => Recoveries.Count == 0 ? 0 : Recoveries.Max(r => r.ZeroOutputSeconds);

    /// <summary>The one-object summary `chaos run --json` prints.</summary>
    public object Summary() => new
    {
        scenario = Scenario,
        seed = Seed,
        status = JobStatus,
        seconds = Math.Round(Seconds, 2),
        faults = Faults.Count,
        faultsInjected = Faults.Select(f => new { atSeconds = Math.Round(f.Seconds, 3), kind = f.Kind, target = f.Target, pid = f.Pid }),
        lost = Oracle?.Lost,
        duplicated = Oracle?.Duplicated,
        wrong = Oracle?.Wrong,
        resultsExpected = Oracle?.Expected,
        resultsCommitted = Oracle?.Committed,
        restarts = Restarts,
        preFaultRecordsPerSecond = PreFaultPerSecond is { } p ? Math.Round(p) : (double?)null,
        detectSeconds = Round(DetectSeconds),
        recoverySeconds = Round(RecoverySeconds),
        zeroOutputSeconds = Math.Round(ZeroOutputSeconds, 2),
        recordsBehind = Recoveries.Sum(r => r.RecordsBehind),
        p99LatencyMeasured = Latency is not null,
        preFaultP99Ms = PreFaultP99Ms is { } l ? Math.Round(l, 1) : (double?)null,
        peakP99Ms = Recoveries.Select(r => r.PeakP99Ms).Max() is { } peak ? Math.Round(peak, 1) : (double?)null,
        passed = Passed,
        reasons = Reasons,
    };

    private static double? Round(double? v) => v is { } x ? Math.Round(x, 3) : null;
}
