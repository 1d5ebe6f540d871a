using StreamShield.Sinks;

namespace StreamShield.Tests.Runtime;

public class SmokeTests
{
    [Fact]
    public void MapFilterToCollectSink()
    {
        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        var sink = new CollectSink<long>();
        env.FromSequence(1, 1000).Map(x => x * 2).Filter(x => x % 3 == 0).SinkTo(sink);
        var result = env.Execute("smoke");
        var expected = Enumerable.Range(1, 1000).Select(x => x * 2L).Where(x => x % 3 == 0).Order().ToList();
        Assert.Equal(expected, sink.Results.Order().ToList());
        Assert.Equal(StreamShield.Execution.JobStatus.Finished, result.Status);
    }

    [Fact]
    public void KeyedReduceAcrossShuffle()
    {
        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(50));
        var sink = new CollectSink<(long Key, long Sum)>();
        env.FromSequence(1, 10000).Map(x => (Key: x % 7, Sum: x)).KeyBy(t => t.Key).Reduce((a, b) => (a.Key, a.Sum + b.Sum)).SinkTo(sink);
        env.Execute("smoke-keyed");
        var finals = sink.Results.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Max(r => r.Sum));
        var expected = Enumerable.Range(1, 10000).GroupBy(x => x % 7L).ToDictionary(g => g.Key, g => g.Sum(x => (long)x));
        Assert.Equal(expected.OrderBy(k => k.Key), finals.OrderBy(k => k.Key));
        Assert.Equal(10000, sink.Results.Count);
    }
}
