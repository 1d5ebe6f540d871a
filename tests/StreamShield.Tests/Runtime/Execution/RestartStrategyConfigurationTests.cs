using StreamShield.Runtime.Execution;

namespace StreamShield.Tests.Runtime.Execution;

/// <summary>The restart strategy from configuration keys (Flink's names and defaults) and the default for each mode.</summary>
public sealed class RestartStrategyConfigurationTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static RestartStrategy? FromConfig(params (string Key, string Value)[] entries) =>
        RestartStrategyConfiguration.FromConfiguration(entries.ToDictionary(e => e.Key, e => e.Value));

    private static List<double?> DelaysMs(RestartStrategy strategy, int failures, Random? random = null)
    {
        var backoff = strategy is ExponentialBackoffRestart e && random is not null ? e.CreateBackoff(random) : strategy.CreateBackoff();
        return Enumerable.Range(0, failures).Select(k => backoff.OnFailure(T0 + TimeSpan.FromSeconds(k))?.TotalMilliseconds).ToList();
    }

    [Fact]
    public void Fixed_delay_failure_rate_and_none_are_read_with_their_options()
    {
        Assert.Equal([250, 250, null], DelaysMs(FromConfig(("restart-strategy.type", "fixed-delay"), ("restart-strategy.fixed-delay.attempts", "2"),
            ("restart-strategy.fixed-delay.delay", "250 ms"))!, 3));
        Assert.Equal([2000, null], DelaysMs(FromConfig(("restart-strategy.type", "failure-rate"), ("restart-strategy.failure-rate.max-failures-per-interval", "1"),
            ("restart-strategy.failure-rate.failure-rate-interval", "1min"), ("restart-strategy.failure-rate.delay", "2s"))!, 2));
        Assert.Equal([null], DelaysMs(FromConfig(("restart-strategy.type", "none"))!, 1));
        Assert.Null(FromConfig());
    }

    [Fact]
    public void Exponential_delay_reads_every_option()
    {
        var strategy = FromConfig(("restart-strategy.type", "exponential-delay"), ("restart-strategy.exponential-delay.initial-backoff", "10ms"),
            ("restart-strategy.exponential-delay.max-backoff", "50ms"), ("restart-strategy.exponential-delay.backoff-multiplier", "2"),
            ("restart-strategy.exponential-delay.jitter-factor", "0"), ("restart-strategy.exponential-delay.attempts-before-reset-backoff", "5"))!;
        Assert.Equal([10, 20, 40, 50, 50, null], DelaysMs(strategy, 6));
    }

    [Theory]
    [InlineData("restart-strategy.type", "sometimes", "must be one of none, fixed-delay")]
    [InlineData("restart-strategy.exponential-delay.initial-backoff", "soon", "must be a duration")]
    [InlineData("restart-strategy.exponential-delay.jitter-factor", "2", "from 0 to 1")]
    [InlineData("restart-strategy.exponential-delay.backoff-multiplier", "0.5", "≥ 1")]
    public void A_bad_value_fails_at_build_naming_the_key(string key, string value, string expected)
    {
        var config = new Dictionary<string, string> { ["restart-strategy.type"] = "exponential-delay", [key] = value };
        var error = Assert.Throws<JobBuildException>(() => RestartStrategyConfiguration.FromConfiguration(config));
        Assert.Contains(key, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void An_option_without_the_type_is_refused()
    {
        var error = Assert.Throws<JobBuildException>(() => FromConfig(("restart-strategy.fixed-delay.attempts", "3")));
        Assert.Contains("restart-strategy.type", error.Message);
    }

    [Fact]
    public void Unknown_keys_list_the_restart_strategy_keys_and_known_ones_pass()
    {
        var config = new Dictionary<string, string> { ["restart-strategy.type"] = "fixed-delay", ["restart-strategy.fixed-delay.attempts"] = "3" };
        _ = JobSettings.From(config, "/tmp/unused");
        config["restart-strategy.fixed-delay.attempt"] = "3"; // a typo
        var error = Assert.Throws<JobBuildException>(() => JobSettings.From(config, "/tmp/unused"));
        Assert.Contains("restart-strategy.fixed-delay.attempts", error.Message);
    }

    [Fact]
    public void The_default_is_none_without_checkpointing_and_exponential_back_off_with_it()
    {
        var env = StreamEnvironment.Create();
        Assert.Equal([null], DelaysMs(RestartStrategyConfiguration.Resolve(env), 1));

        env.EnableCheckpointing(TimeSpan.FromSeconds(1));
        var strategy = RestartStrategyConfiguration.Resolve(env);
        var delays = DelaysMs(strategy, 30, new Random(42));
        for (var k = 0; k < delays.Count; k++)
        {
            var nominal = Math.Min(60_000, 100 * Math.Pow(1.5, k));
            Assert.InRange(delays[k]!.Value, nominal * 0.9, nominal * 1.1);
        }
        Assert.NotEqual(100, delays[0]); // jittered, so jobs that failed together do not restart in lockstep
        Assert.Equal(60_000, DelaysMs(strategy, 40, new Random(1))[^1]!.Value, 6_000.0);
    }

    [Fact]
    public void Precedence_is_configuration_then_code_then_default()
    {
        var env = StreamEnvironment.Create();
        env.EnableCheckpointing(TimeSpan.FromSeconds(1));
        env.RestartStrategy = RestartStrategy.FixedDelay(1, TimeSpan.FromMilliseconds(7));
        Assert.Equal([7, null], DelaysMs(RestartStrategyConfiguration.Resolve(env), 2));
        env.Configuration["restart-strategy.type"] = "none";
        Assert.Equal([null], DelaysMs(RestartStrategyConfiguration.Resolve(env), 1));
    }
}
