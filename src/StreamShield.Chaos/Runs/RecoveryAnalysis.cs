namespace StreamShield.Chaos.Runs;

/// <summary>The recovery from one fault, in seconds after its injection; null where the phase never ended within the run.</summary>
public sealed record FaultRecovery(double FaultSeconds, double? DetectSeconds, double? RecoverySeconds, double ZeroOutputSeconds, double RecordsBehind,
    double? PeakP99Ms = null, double? LatencyRecoverySeconds = null);

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

    /// <summary>The median of a series (throughput, p99 latency) between <paramref name="from"/> and <paramref name="to"/> seconds (null if no point).</summary>
    public static double? Median(IEnumerable<(double Seconds, double Value)> series, double from, double to)
    {
        var values = series.Where(t => t.Seconds >= from && t.Seconds <= to).Select(t => t.Value).Order().ToList();
        return values.Count == 0 ? null : values[values.Count / 2];
    }

    /// <summary>The longest stretch between <paramref name="from"/> and <paramref name="to"/> in which no record came in.</summary>
    private static double LongestStall(IReadOnlyList<RunSample> samples, double from, double to)
    {
        double longest = 0, since = -1;
        for (var i = 1; i < samples.Count; i++)
        {
            var (a, b) = (samples[i - 1], samples[i]);
            if (b.Seconds <= from || b.Seconds > to) continue;
            if (b.RecordsIn <= a.RecordsIn)
            {
                if (since < 0) since = Math.Max(a.Seconds, from);
                longest = Math.Max(longest, b.Seconds - since);
            }
            else since = -1;
        }
        return longest;
    }

    /// <summary>
    /// The recovery from the fault at <paramref name="faultSeconds"/>, given the throughput before it, the times of the
    /// job's failures, and, when the workload records it, p99 latency per interval with its pre-fault median.
    /// </summary>
    /// <remarks>
    /// <paramref name="inputEndSeconds"/>: when the job's input ran out (a finished job's last new record); the silence
    /// after it is the end of the data, not an outage, so stalls are only counted before it.
    /// </remarks>
    public static FaultRecovery Analyze(IReadOnlyList<RunSample> samples, double faultSeconds, double preFaultPerSecond, IReadOnlyList<double> failureSeconds,
        IReadOnlyList<(double Seconds, double P99Ms)>? latency = null, double? preFaultP99Ms = null, double inputEndSeconds = double.MaxValue)
    {
        var throughput = Throughput(samples);
        var threshold = 0.9 * preFaultPerSecond;
        double? detect = failureSeconds.Where(s => s >= faultSeconds - 0.05).Select(s => (double?)Math.Max(0, s - faultSeconds)).FirstOrDefault();

        var zeroSoFar = LongestStall(samples, faultSeconds, Math.Min(inputEndSeconds, samples.Count == 0 ? faultSeconds : samples[^1].Seconds));
        var collapsed = throughput.Any(t => t.Seconds >= faultSeconds && t.Seconds <= faultSeconds + DipSearchSeconds && t.PerSecond < 0.5 * preFaultPerSecond)
                        || (latency is not null && preFaultP99Ms is { } p99
                            && latency.Any(l => l.Seconds >= faultSeconds && l.Seconds <= faultSeconds + DipSearchSeconds && l.P99Ms > 2 * p99 + 1));
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

        // Latency: back within 10 % of the pre-fault p99 (and its median over the next second too) after the spike.
        double? peak = null, latencyRecovery = null;
        if (latency is not null && preFaultP99Ms is { } pre99)
        {
            var after = latency.Where(l => l.Seconds >= faultSeconds).ToList();
            peak = after.Count == 0 ? null : after.Max(l => l.P99Ms);
            var limit = pre99 * 1.1;
            if (recovery == 0 && end == faultSeconds) latencyRecovery = 0;
            else
            {
                var from = faultSeconds + (detect ?? 0);
                var spike = after.FirstOrDefault(l => l.Seconds >= from && l.P99Ms > limit);
                if (spike == default) latencyRecovery = Math.Max(0, from - faultSeconds);
                else
                {
                    var back = after.FirstOrDefault(l => l.Seconds > spike.Seconds && l.P99Ms <= limit
                        && Median(after, l.Seconds, l.Seconds + Window) <= limit
                        && after[^1].Seconds >= l.Seconds + Window);
                    latencyRecovery = back == default ? null : back.Seconds - faultSeconds;
                }
            }
            recovery = recovery is { } r && latencyRecovery is { } lr ? Math.Max(r, lr) : null;
        }
        return new FaultRecovery(faultSeconds, detect, recovery, zero, Math.Round(behind), peak, latencyRecovery);
    }
}
