namespace StreamShield.Tests.Api.Environment;

/// <summary>The restart strategies' decisions for a sequence of failures at given times (no job, no real time).</summary>
public sealed class RestartStrategyTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private static List<TimeSpan?> Decide(RestartStrategy strategy, params double[] failureSeconds)
    {
        var backoff = strategy.CreateBackoff();
        return failureSeconds.Select(s => backoff.OnFailure(T0 + TimeSpan.FromSeconds(s))).ToList();
    }

    [Fact]
    public void NoneGivesUpOnTheFirstFailure() =>
        Assert.Equal([null, null], Decide(RestartStrategy.None(), 0, 100));

    [Fact]
    public void FixedDelayRestartsTheConfiguredNumberOfTimesWithItsDelay()
    {
        Assert.Equal([Ms(250), Ms(250), Ms(250), null, null], Decide(RestartStrategy.FixedDelay(3, Ms(250)), 0, 0.1, 5000, 5001, 9999));
        Assert.Equal([null], Decide(RestartStrategy.FixedDelay(0, Ms(250)), 0));
    }

    [Fact]
    public void FixedDelayCountsAreIndependentPerJob()
    {
        var strategy = RestartStrategy.FixedDelay(1, Ms(10));
        Assert.Equal([Ms(10), null], Decide(strategy, 0, 1));
        Assert.Equal([Ms(10), null], Decide(strategy, 0, 1));
    }

    [Fact]
    public void ExponentialBackoffGrowsByTheMultiplierUpToTheCap()
    {
        var strategy = RestartStrategy.ExponentialBackoff(Ms(100), Ms(1000), multiplier: 2.0, resetAfter: TimeSpan.FromMinutes(10));
        Assert.Equal([Ms(100), Ms(200), Ms(400), Ms(800), Ms(1000), Ms(1000), Ms(1000)], Decide(strategy, 0, 1, 2, 3, 4, 5, 6));

        var triple = RestartStrategy.ExponentialBackoff(Ms(10), Ms(500), multiplier: 3.0);
        Assert.Equal([Ms(10), Ms(30), Ms(90), Ms(270), Ms(500)], Decide(triple, 0, 1, 2, 3, 4));
    }

    [Fact]
    public void ExponentialBackoffResetsAfterAQuietPeriod()
    {
        var strategy = RestartStrategy.ExponentialBackoff(Ms(100), Ms(10_000), multiplier: 2.0, resetAfter: TimeSpan.FromSeconds(60));
        // 60 s apart is not more than the reset period; 61 s is.
        Assert.Equal([Ms(100), Ms(200), Ms(400), Ms(100), Ms(200), Ms(400)], Decide(strategy, 0, 10, 70, 131, 140, 200));
    }

    [Fact]
    public void ExponentialBackoffNeverGivesUp()
    {
        var backoff = RestartStrategy.ExponentialBackoff(Ms(1), TimeSpan.FromDays(1)).CreateBackoff();
        for (var i = 0; i < 200; i++)
        {
            var delay = backoff.OnFailure(T0 + TimeSpan.FromSeconds(i));
            Assert.NotNull(delay);
            Assert.InRange(delay.Value, Ms(1), TimeSpan.FromDays(1));
        }
    }

    [Fact]
    public void FailureRateRestartsWhileFailuresInTheWindowStayWithinTheLimit()
    {
        var strategy = RestartStrategy.FailureRate(maxFailures: 2, interval: TimeSpan.FromSeconds(60), delay: Ms(50));
        // A third failure within 60 s gives up.
        Assert.Equal([Ms(50), Ms(50), null], Decide(strategy, 0, 30, 59));
        // Failures spread out never exceed two per window.
        Assert.Equal([Ms(50), Ms(50), Ms(50), Ms(50), Ms(50)], Decide(strategy, 0, 50, 111, 162, 223));
        // Old failures leave the window: at 100 s only the one at 50 s is within 60 s.
        Assert.Equal([Ms(50), Ms(50), Ms(50), Ms(50), null], Decide(strategy, 0, 50, 100, 125, 130));
    }
}
