using StreamShield.Chaos.Runs;

namespace StreamShield.Tests.Chaos;

/// <summary>Recovery figures and the output oracle, on timelines and outputs built by hand.</summary>
public sealed class RecoveryAnalysisTests
{
    /// <summary>100 records per 0.1 s (1,000/s), a stall from 5.0 s to 6.5 s, then the same rate again.</summary>
    private static List<RunSample> StallTimeline()
    {
        var samples = new List<RunSample>();
        long records = 0;
        for (var i = 0; i <= 120; i++)
        {
            var t = i / 10.0;
            if (t is <= 5.0 or > 6.5) records += 100;
            samples.Add(new RunSample(t, records, "Running"));
        }
        return samples;
    }

    [Fact]
    public void Recovery_ends_when_throughput_is_back_to_90_percent_after_the_dip()
    {
        var samples = StallTimeline();
        var pre = RecoveryAnalysis.Median(RecoveryAnalysis.Throughput(samples), 1, 5)!.Value;
        Assert.Equal(1000, pre, 1);

        var r = RecoveryAnalysis.Analyze(samples, faultSeconds: 5.0, pre, failureSeconds: [5.2]);
        Assert.Equal(0.2, r.DetectSeconds!.Value, 3);
        Assert.Equal(1.5, r.ZeroOutputSeconds, 3);
        // The 1 s window is back at 900/s once it holds 9 tenths of new records: 6.5 s + 0.9 s.
        Assert.Equal(2.4, r.RecoverySeconds!.Value, 3);
        Assert.InRange(r.RecordsBehind, 1400, 2400);
    }

    [Fact]
    public void A_fault_without_a_dip_recovers_in_zero_seconds_and_one_that_never_recovers_says_so()
    {
        var steady = Enumerable.Range(0, 100).Select(i => new RunSample(i / 10.0, i * 100L, "Running")).ToList();
        Assert.Equal(0, RecoveryAnalysis.Analyze(steady, 5, 1000, []).RecoverySeconds);

        var dead = steady.Take(50).Concat(Enumerable.Range(50, 50).Select(i => new RunSample(i / 10.0, 4900, "Restarting"))).ToList();
        var r = RecoveryAnalysis.Analyze(dead, 5, 1000, []);
        Assert.Null(r.RecoverySeconds);
        Assert.Null(r.DetectSeconds);
    }

    [Fact]
    public void The_oracle_counts_lost_duplicated_and_wrong_results()
    {
        (string, string)[] expected = [("w0,u1", "3"), ("w0,u2", "5"), ("w1,u1", "2")];
        var exact = OracleVerdict.Judge(expected, [("w1,u1", "2"), ("w0,u1", "3"), ("w0,u2", "5")]);
        Assert.True(exact.Exact);

        var bad = OracleVerdict.Judge(expected, [("w0,u1", "3"), ("w0,u1", "3"), ("w0,u2", "4"), ("w9,u9", "1")]);
        Assert.Equal(2, bad.Lost); // w0,u2 (only a wrong value came) and w1,u1
        Assert.Equal(1, bad.Duplicated);
        Assert.Equal(2, bad.Wrong);
        Assert.False(bad.Exact);
    }

    [Fact]
    public void Silence_after_the_input_ran_out_is_not_an_outage()
    {
        // 1,000/s until 8 s, then nothing more: the input is exhausted, the job finishes.
        var samples = Enumerable.Range(0, 120).Select(i => new RunSample(i / 10.0, Math.Min(i, 80) * 100L, "Running")).ToList();
        Assert.True(RecoveryAnalysis.Analyze(samples, 5, 1000, []).ZeroOutputSeconds >= 3.9);
        Assert.Equal(0, RecoveryAnalysis.Analyze(samples, 5, 1000, [], inputEndSeconds: 8.0).ZeroOutputSeconds);
    }

    [Fact]
    public void Latency_recovery_waits_for_p99_back_within_ten_percent()
    {
        var samples = Enumerable.Range(0, 200).Select(i => new RunSample(i / 10.0, i * 100L, "Running")).ToList();
        // p99 10 ms, 400 ms from 5.0 s to 7.0 s, then 10 ms again.
        var latency = Enumerable.Range(0, 200).Select(i => (i / 10.0, i is >= 50 and < 70 ? 400.0 : 10.0)).ToList();
        var r = RecoveryAnalysis.Analyze(samples, 5, 1000, [5.05], latency, preFaultP99Ms: 10);
        Assert.Equal(400, r.PeakP99Ms);
        Assert.Equal(2.0, r.LatencyRecoverySeconds!.Value, 3);
        Assert.Equal(2.0, r.RecoverySeconds!.Value, 3); // throughput never dipped: latency decides
    }
}

