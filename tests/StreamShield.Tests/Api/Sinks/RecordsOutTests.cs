using StreamShield.Functions;
using StreamShield.Sinks;
using StreamShield.Tests.Api;

namespace StreamShield.Tests.Api.Sinks;

/// <summary>The job's records out are what its sinks wrote, wherever a sink sits in the chains.</summary>
public sealed class RecordsOutTests
{
    private static readonly OutputTag<long> Odd = new("odd");

    /// <summary>Even numbers to the main output, odd ones to a side output.</summary>
    private sealed class SplitByParity : ProcessFunction<long, long>
    {
        public override void ProcessElement(long value, Context context, ICollector<long> output)
        {
            if (value % 2 == 0) output.Collect(value);
            else context.Output(Odd, value);
        }
    }

    [Fact]
    public void A_sink_chained_into_a_vertex_that_also_feeds_another_vertex_is_counted()
    {
        var env = JobTesting.Environment(parallelism: 2);
        var evens = new CollectSink<long>();
        var odds = new CollectSink<long>();
        var split = env.FromSequence(1, 10_000).Process(new SplitByParity(), "SplitByParity");
        split.SinkTo(evens); // chained: source -> split -> evens sink, in a vertex that also has a consumer
        split.GetSideOutput(Odd).KeyBy(n => n % 10).Map(n => n * 10).SinkTo(odds); // another vertex across a shuffle
        var result = JobTesting.Run(env, "records-out");

        Assert.Equal(5_000, evens.Results.Count);
        Assert.Equal(5_000, odds.Results.Count);
        Assert.Equal(10_000, result.Metrics.RecordsOut);
        Assert.Equal(10_000, result.Metrics.RecordsIn);
    }
}
