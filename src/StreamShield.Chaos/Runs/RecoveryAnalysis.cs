namespace StreamShield.Chaos.Runs;

/// <summary>The recovery from one fault, in seconds after its injection; null where the phase never ended within the run.</summary>
public sealed record FaultRecovery(double FaultSeconds, double? DetectSeconds, double? RecoverySeconds, double ZeroOutputSeconds, double RecordsBehind);

/// <summary>
/// Recovery figures from the throughput timeline, following STREAMSHIELD.md's definition as far as this workload
/// is measured: recovery ends when throughput (records in per second, over a 1 s window) is back to at least 90 % of
/// its pre-fault value (the median over the steady period before the first fault) after the dip the fault caused; a
/// fault that causes no dip within 3 s recovers in 0 s. Zero output: the longest stretch after the fault in which no
/// record came in. Records behind: what the job did not process compared with the pre-fault rate, until recovery.
/// Detection comes from the job's timeline (its first failure at or after the fault).
/// </summary>
public static class RecoveryAnalysis
{
    private const double Window = 1.0;
    private const double DipSearchSeconds = 3.0;

    /// <summary>Throughput (records/s) over the window ending at each sample.</summary>
    public static IReadOnlyList<(double Seconds, double PerSecond)> Throughput(IReadOnlyList<RunSample> samples)
    {
        var result = new List<(double, double)>(samples.Count);
        var start = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            while (start < i && samples[i].Seconds - samples[start].Seconds > Window) start++;
            var span = samples[i].Seconds - samples[start].Seconds;
            result.Add((samples[i].Seconds, span <= 0 ? 0 : Math.Max(0, samples[i].RecordsIn - samples[start].RecordsIn) / span));
        }
        return result;
    }

    /// <summary>The median throughput between <paramref name="from"/> and <paramref name="to"/> seconds (null if no sample).</summary>
    public static double? Median(IReadOnlyList<(double Seconds, double PerSecond)> throughput, double from, double to)
    {
        var values = throughput.Where(t => t.Seconds >= from && t.Seconds <= to).Select(t => t.PerSecond).Order().ToList();
        return values.Count == 0 ? null : values[values.Count / 2];
    }

    public static FaultRecovery Analyze(IReadOnlyList<RunSample> samples, double faultSeconds, double preFaultPerSecond, IReadOnlyList<double> failureSeconds)
    {
        var throughput = Throughput(samples);
        var threshold = 0.9 * preFaultPerSecond;
        double? detect = failureSeconds.Where(s => s >= faultSeconds - 0.05).Select(s => (double?)Math.Max(0, s - faultSeconds)).FirstOrDefault();

        var dip = throughput.FirstOrDefault(t => t.Seconds >= faultSeconds && t.Seconds <= faultSeconds + DipSearchSeconds && t.PerSecond < threshold);
        double? recovery;
        double end;
        if (dip == default)
        {
            recovery = 0;
            end = faultSeconds;
        }
        else
        {
            var back = throughput.FirstOrDefault(t => t.Seconds > dip.Seconds && t.PerSecond >= threshold);
            recovery = back == default ? null : back.Seconds - faultSeconds;
            end = back == default ? samples[^1].Seconds : back.Seconds;
        }

        // The longest run without a new record after the fault, and the records not processed until recovery.
        double zero = 0, behind = 0, stalledSince = -1;
        for (var i = 1; i < samples.Count; i++)
        {
            var (a, b) = (samples[i - 1], samples[i]);
            if (b.Seconds <= faultSeconds) continue;
            if (b.RecordsIn <= a.RecordsIn)
            {
                if (stalledSince < 0) stalledSince = Math.Max(a.Seconds, faultSeconds);
                zero = Math.Max(zero, b.Seconds - stalledSince);
            }
            else
            {
                stalledSince = -1;
            }
            if (b.Seconds <= end)
            {
                var dt = b.Seconds - Math.Max(a.Seconds, faultSeconds);
                behind += Math.Max(0, preFaultPerSecond * dt - Math.Max(0, b.RecordsIn - a.RecordsIn));
            }
        }
        return new FaultRecovery(faultSeconds, detect, recovery, zero, Math.Round(behind));
    }
}
