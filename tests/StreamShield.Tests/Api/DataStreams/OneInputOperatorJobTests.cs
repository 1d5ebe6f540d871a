using StreamShield.Execution;
using StreamShield.Functions;
using StreamShield.Sinks;

namespace StreamShield.Tests.Api.DataStreams;

/// <summary>Map, Filter, FlatMap, Process with side outputs and Union, run embedded; expectations from LINQ.</summary>
public sealed class OneInputOperatorJobTests
{
    private static readonly OutputTag<string> Odd = new("odd");
    private static readonly OutputTag<long> Big = new("big");
    private static readonly OutputTag<long> Unconsumed = new("nobody-reads-this");

    private static List<long> Input(int seed, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (long)random.Next(-1000, 1000)).ToList();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    public void MapFilterAndBothFlatMapOverloadsMatchLinq(int seed, int parallelism)
    {
        var input = Input(seed, 2000);
        var env = JobTesting.Environment(parallelism);
        var sink = new CollectSink<string>();
        env.FromCollection(input)
            .Map(x => x * 3)
            .Filter(x => x % 2 == 0)
            .FlatMap<long>((x, collector) => { for (var i = 0; i < Math.Abs(x / 3 % 3); i++) collector.Collect(x + i); })
            .FlatMap(x => x % 5 == 0 ? Array.Empty<string>() : new[] { $"{x}", $"{x}!" })
            .SinkTo(sink);
        var result = env.Execute("map-filter-flatmap");

        var expected = input.Select(x => x * 3)
            .Where(x => x % 2 == 0)
            .SelectMany(x => Enumerable.Range(0, (int)Math.Abs(x / 3 % 3)).Select(i => x + i))
            .SelectMany(x => x % 5 == 0 ? Array.Empty<string>() : new[] { $"{x}", $"{x}!" })
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(JobStatus.Finished, result.Status);
        Assert.True(expected.Count > 500, $"seed {seed}: the input should exercise every operator");
        Assert.Equal(expected, sink.Results.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void ASingleSubtaskPipelineKeepsTheInputOrder()
    {
        var input = Input(seed: 4, count: 3000);
        var env = JobTesting.Environment(parallelism: 1);
        var sink = new CollectSink<long>();
        env.FromCollection(input).Map(x => x + 1).Filter(x => x != 0).Rebalance().Map(x => x * 2).SinkTo(sink);
        env.Execute("ordered");

        Assert.Equal(input.Select(x => x + 1).Where(x => x != 0).Select(x => x * 2).ToList(), sink.Results);
    }

    private sealed class Splitter : ProcessFunction<long, long>
    {
        public override void ProcessElement(long value, Context context, ICollector<long> output)
        {
            if (value % 2 == 0) output.Collect(value);
            else context.Output(Odd, $"odd:{value}");
            if (value > 900) context.Output(Big, value);
            context.Output(Unconsumed, value);
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void ProcessFunctionSplitsIntoMainAndTypedSideOutputs(int seed)
    {
        var input = Input(seed, 3000);
        var env = JobTesting.Environment(parallelism: 2);
        var main = new CollectSink<long>();
        var odd = new CollectSink<string>();
        var big = new CollectSink<long>();
        var split = env.FromCollection(input).Process(new Splitter(), "Split");
        split.SinkTo(main);
        split.GetSideOutput(Odd).SinkTo(odd).SetParallelism(1);
        split.GetSideOutput(Big).Map(x => -x).SetParallelism(3).SinkTo(big);
        env.Execute("side-outputs");

        Assert.Equal(input.Where(x => x % 2 == 0).Order(), main.Results.Order());
        Assert.Equal(input.Where(x => x % 2 != 0).Select(x => $"odd:{x}").Order(StringComparer.Ordinal), odd.Results.Order(StringComparer.Ordinal));
        Assert.Equal(input.Where(x => x > 900).Select(x => -x).Order(), big.Results.Order());
    }

    [Fact]
    public void ASideOutputCanBeConsumedWithoutTheMainOutput()
    {
        var input = Input(seed: 7, count: 500);
        var env = JobTesting.Environment(parallelism: 2);
        var odd = new CollectSink<string>();
        env.FromCollection(input).Process(new Splitter()).GetSideOutput(Odd).SinkTo(odd);
        env.Execute("side-output-only");

        Assert.Equal(input.Where(x => x % 2 != 0).Select(x => $"odd:{x}").Order(StringComparer.Ordinal), odd.Results.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void UnionOfThreeStreamsWithDifferentParallelismsDeliversEveryRecordOnce()
    {
        var env = JobTesting.Environment(parallelism: 2);
        var sink = new CollectSink<long>();
        var a = env.FromSequence(1, 1000).SetParallelism(1);
        var b = env.FromSequence(1001, 2500).SetParallelism(2).Map(x => x);
        var c = env.FromCollection(Enumerable.Range(0, 700).Select(i => -(long)i)).SetParallelism(3);
        a.Union(b, c).Map(x => x * 10).SinkTo(sink);
        env.Execute("union");

        var expected = Enumerable.Range(1, 2500).Select(x => (long)x).Concat(Enumerable.Range(0, 700).Select(i => -(long)i)).Select(x => x * 10).Order();
        Assert.Equal(expected, sink.Results.Order());
    }
}
