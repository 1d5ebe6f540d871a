namespace StreamShield.Chaos.Runs;

/// <summary>The recovery from one fault, in seconds after its injection; null where the phase never ended within the run.</summary>
public sealed record FaultRecovery(double FaultSeconds, double? DetectSeconds, double? RecoverySeconds, double ZeroOutputSeconds, double RecordsBehind);

/// <summary>
/// Recovery figures from the throughput timeline, following STREAMSHIELD.md's definition as far as this workload
/// is measured: recovery ends when throughput (records in per second, over a 1 s window) is back to at least 90 % of
/// its pre-fault value (the median over the steady period before the first fault) and its median over the next
/// second is too (workers report their counters with each heartbeat, so single samples jitter),
/// after the dip the fault caused. A fault has an effect when the job's timeline shows a failure after it, when
/// nothing came in for half a second, or when throughput fell below half; one without an effect (a killed worker
/// that ran nothing of the job) recovers in 0 s, so that ordinary jitter is not counted as recovery. Zero output:
/// the longest stretch after the fault in which no record came in. Records behind: what the job did not process
/// compared with the pre-fault rate, until recovery. Detection: the job's first failure at or after the fault.
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

    /// <summary>The longest stretch between <paramref name="from"/> and <paramref name="to"/> in which no record came in.</summary>
    private static double LongestStall(IReadOnlyList<RunSample> samples, double from, double to)
    {
        double longest = 0, since = -1;
        for (var i = 1; i < samples.Count; i++)
        {
            var (a, b) = (samples[i - 1], samples[i]);
            if (b.Seconds <= from || a.Seconds >= to) continue;
            if (b.RecordsIn <= a.RecordsIn)
            {
                if (since < 0) since = Math.Max(a.Seconds, from);
                longest = Math.Max(longest, b.Seconds - since);
            }
            else since = -1;
        }
        return longest;
    }

    public static FaultRecovery Analyze(IReadOnlyList<RunSample> samples, double faultSeconds, double preFaultPerSecond, IReadOnlyList<double> failureSeconds)
    {
        var throughput = Throughput(samples);
        var threshold = 0.9 * preFaultPerSecond;
        double? detect = failureSeconds.Where(s => s >= faultSeconds - 0.05).Select(s => (double?)Math.Max(0, s - faultSeconds)).FirstOrDefault();

        var zeroSoFar = LongestStall(samples, faultSeconds, samples.Count == 0 ? faultSeconds : samples[^1].Seconds);
        var collapsed = throughput.Any(t => t.Seconds >= faultSeconds && t.Seconds <= faultSeconds + DipSearchSeconds && t.PerSecond < 0.5 * preFaultPerSecond);
        double? recovery;
        double end;
        if (detect is null && zeroSoFar < 0.5 && !collapsed)
        {
            recovery = 0;
            end = faultSeconds;
        }
        else
        {
            var from = faultSeconds + (detect ?? 0);
            var dip = throughput.FirstOrDefault(t => t.Seconds >= from && t.PerSecond < threshold);
            var back = dip == default ? default : throughput.Select((t, i) => (t, i)).FirstOrDefault(x =>
                x.t.Seconds > dip.Seconds && x.t.PerSecond >= threshold
                && Median(throughput, x.t.Seconds, x.t.Seconds + Window) >= threshold
                && throughput[^1].Seconds >= x.t.Seconds + Window).t;
            recovery = dip == default ? Math.Max(0, from - faultSeconds) : back == default ? null : back.Seconds - faultSeconds;
            end = dip == default ? from : back == default ? samples[^1].Seconds : back.Seconds;
        }

        // The records not processed until recovery, compared with the pre-fault rate.
        double behind = 0;
        for (var i = 1; i < samples.Count; i++)
        {
            var (a, b) = (samples[i - 1], samples[i]);
            if (b.Seconds <= faultSeconds || b.Seconds > end) continue;
            var dt = b.Seconds - Math.Max(a.Seconds, faultSeconds);
            behind += Math.Max(0, preFaultPerSecond * dt - Math.Max(0, b.RecordsIn - a.RecordsIn));
        }
        var zero = zeroSoFar;
        return new FaultRecovery(faultSeconds, detect, recovery, zero, Math.Round(behind));
    }
}
