using StreamShield.Execution;
using StreamShield.Runtime.Faults;
using StreamShield.Sinks;
using StreamShield.Tests.Api;

namespace StreamShield.Tests.Runtime.Execution;

/// <summary>How a job ends when faults keep firing: the restart strategy decides between restarting and failing.</summary>
public sealed class RestartStrategyJobTests
{
    private static StreamEnvironment Job(RestartStrategy strategy, string fault, CollectSink<long> sink)
    {
        var env = JobTesting.Environment(parallelism: 2);
        env.RestartStrategy = strategy;
        env.Configuration["fault.task.process"] = fault;
        env.FromGenerator(n => n, count: 200_000).Map(n => n + 1).SinkTo(sink);
        return env;
    }

    [Fact]
    public void WithoutRestartsTheFirstFaultFailsTheJobAndExecuteThrowsJobFailedException()
    {
        var env = Job(RestartStrategy.None(), "throw:after=5:subtask=0", new CollectSink<long>());
        var error = Assert.Throws<JobFailedException>(() => env.Execute("no-restart"));

        Assert.IsType<InjectedFaultException>(error.InnerException);
        Assert.Contains("Job 'no-restart' failed", error.Message);
        Assert.Contains("Injected fault at 'task.process'", error.Message);
    }

    [Fact]
    public void WithoutRestartsTheResultIsFailedWithTheFaultAndNoRestarts()
    {
        var sink = new CollectSink<long>();
        var result = JobTesting.Run(Job(RestartStrategy.None(), "throw:after=5:subtask=1", sink), "no-restart-result");

        Assert.Equal(JobStatus.Failed, result.Status);
        Assert.IsType<InjectedFaultException>(result.Failure);
        Assert.Equal(0, result.Metrics.Restarts);
        Assert.Equal(1, result.Timeline.Count(e => e.Kind == JobEventKind.FaultInjected));
        Assert.Equal(1, result.Timeline.Count(e => e.Kind == JobEventKind.Failed));
        Assert.Equal(0, result.Timeline.Count(e => e.Kind == JobEventKind.Restarting));
        Assert.Empty(sink.Results); // nothing was committed
        Assert.Throws<JobFailedException>(() => result.EnsureSuccess());
    }

    [Fact]
    public void FixedDelayGivesUpAfterItsAttemptsWhenTheFaultKeepsFiring()
    {
        var sink = new CollectSink<long>();
        var env = Job(RestartStrategy.FixedDelay(2, TimeSpan.FromMilliseconds(10)), "throw:after=5:times=3:attempt=-1:subtask=0", sink);
        var result = JobTesting.Run(env, "fixed-delay-exhausted");

        var context = JobTesting.Describe(result);
        Assert.True(result.Status == JobStatus.Failed, context);
        Assert.True(result.Metrics.Restarts == 2, context);
        Assert.True(result.Timeline.Count(e => e.Kind == JobEventKind.FaultInjected) == 3, context);
        Assert.True(result.Timeline.Count(e => e.Kind == JobEventKind.TaskFailed) == 3, context);
        Assert.True(result.Timeline.Count(e => e.Kind == JobEventKind.Restarting) == 2, context);
        Assert.IsType<InjectedFaultException>(result.Failure);
    }

    [Fact]
    public void FixedDelayRecoversWhenTheFaultStopsBeforeTheAttemptsRunOut()
    {
        var sink = new CollectSink<long>();
        var env = Job(RestartStrategy.FixedDelay(3, TimeSpan.Zero), "throw:after=5:times=2:attempt=-1:subtask=0", sink);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(20));
        var result = JobTesting.Run(env, "fixed-delay-recovers");

        var context = JobTesting.Describe(result);
        Assert.True(result.Status == JobStatus.Finished, context);
        Assert.True(result.Metrics.Restarts == 2, context);
        Assert.Equal(Enumerable.Range(1, 200_000).Select(n => (long)n), sink.Results.Order());
    }

    [Fact]
    public void With_checkpointing_and_no_strategy_set_restarts_back_off_exponentially_from_100_ms()
    {
        var sink = new CollectSink<long>();
        var env = JobTesting.Environment(parallelism: 2);
        env.Configuration["fault.task.process"] = "throw:after=5:times=5:attempt=-1:subtask=0";
        env.FromGenerator(n => n, count: 200_000).Map(n => n + 1).SinkTo(sink);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(20));
        var result = JobTesting.Run(env, "default-backoff");

        var context = JobTesting.Describe(result);
        Assert.True(result.Status == JobStatus.Finished, context);
        var delays = result.Timeline.Where(e => e.Kind == JobEventKind.Restarting)
            .Select(e => double.Parse(System.Text.RegularExpressions.Regex.Match(e.Message, @"in (\d+) ms").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.True(delays.Count == 5, context);
        // 100 ms ×1.5 per restart, each spread by at most ±10 % (and 1 ms of rounding).
        for (var k = 0; k < delays.Count; k++)
        {
            var nominal = 100 * Math.Pow(1.5, k);
            Assert.True(Math.Abs(delays[k] - nominal) <= nominal * 0.1 + 1, $"restart {k + 1}: {delays[k]} ms, expected {nominal} ms ± 10 %\n{context}");
        }
        Assert.Equal(Enumerable.Range(1, 200_000).Select(n => (long)n), sink.Results.Order());
    }

    [Fact]
    public void A_restart_strategy_in_the_configuration_overrides_the_one_set_in_code()
    {
        var env = Job(RestartStrategy.FixedDelay(3, TimeSpan.Zero), "throw:after=5:times=3:attempt=-1:subtask=0", new CollectSink<long>());
        env.Configuration["restart-strategy.type"] = "none";
        var result = JobTesting.Run(env, "configured-none");

        var context = JobTesting.Describe(result);
        Assert.True(result.Status == JobStatus.Failed, context);
        Assert.True(result.Metrics.Restarts == 0, context);
    }
}
