using StreamShield.Sinks;

namespace StreamShield.Tests.Api.DataStreams;

/// <summary>
/// Where records land under each partitioning: every record is tagged with the index of the subtask that processed
/// it (before and after the partitioning), and the tags are checked against the partitioning's definition.
/// </summary>
public sealed class PartitioningJobTests
{
    private static List<(long Value, int From, int To)> RunTagged(int fromParallelism, int toParallelism, Func<DataStream<Tagged<long>>, DataStream<Tagged<long>>> partition, long count = 1000)
    {
        var env = JobTesting.Environment(parallelism: toParallelism);
        var sink = new CollectSink<Tagged<Tagged<long>>>();
        var tagged = env.FromSequence(0, count - 1).SetParallelism(fromParallelism)
            .Process(new TagSubtask<long>(), "TagFrom").SetParallelism(fromParallelism);
        partition(tagged).Process(new TagSubtask<Tagged<long>>(), "TagTo").SetParallelism(toParallelism).SinkTo(sink);
        env.Execute("partitioning");
        return sink.Results.Select(t => (t.Value.Value, t.Value.Subtask, t.Subtask)).ToList();
    }

    private static void AssertEveryRecordOnce(IEnumerable<(long Value, int From, int To)> records, long count) =>
        Assert.Equal(Enumerable.Range(0, (int)count).Select(i => (long)i), records.Select(r => r.Value).Order());

    [Fact]
    public void ForwardKeepsEveryRecordOnTheSubtaskWithTheSameIndex()
    {
        // StartNewChain makes the forward edge a real channel rather than a call inside one chain.
        var records = RunTagged(3, 3, s => s.Forward().Map(t => t).StartNewChain());
        AssertEveryRecordOnce(records, 1000);
        Assert.All(records, r => Assert.Equal(r.From, r.To));
        Assert.Equal([0, 1, 2], records.Select(r => r.From).Distinct().Order());
    }

    [Fact]
    public void RebalanceSpreadsRecordsEvenlyOverAllSubtasks()
    {
        var records = RunTagged(1, 4, s => s.Rebalance());
        AssertEveryRecordOnce(records, 1000);
        Assert.Equal([250, 250, 250, 250], records.GroupBy(r => r.To).OrderBy(g => g.Key).Select(g => g.Count()));

        var fromTwo = RunTagged(2, 3, s => s.Rebalance(), count: 1001);
        AssertEveryRecordOnce(fromTwo, 1001);
        // Each producer deals round-robin, so it is at most one record off per consumer.
        foreach (var producer in fromTwo.GroupBy(r => r.From))
        {
            var counts = Enumerable.Range(0, 3).Select(c => producer.Count(r => r.To == c)).ToList();
            Assert.True(counts.Max() - counts.Min() <= 1, $"producer {producer.Key} sent {string.Join("/", counts)}");
        }
    }

    [Fact]
    public void RescaleSendsEachProducerToItsLocalGroupOfConsumers()
    {
        // Scale up 2 -> 4: producer 0 feeds {0, 1}, producer 1 feeds {2, 3}, round-robin.
        var up = RunTagged(2, 4, s => s.Rescale());
        AssertEveryRecordOnce(up, 1000);
        var groups = new Dictionary<int, int[]> { [0] = [0, 1], [1] = [2, 3] };
        foreach (var producer in up.GroupBy(r => r.From))
        {
            Assert.Equal(groups[producer.Key], producer.Select(r => r.To).Distinct().Order());
            var counts = groups[producer.Key].Select(c => producer.Count(r => r.To == c)).ToList();
            Assert.True(Math.Abs(counts[0] - counts[1]) <= 1, $"producer {producer.Key} sent {string.Join("/", counts)}");
        }

        // Scale down 4 -> 2: producers {0, 1} feed 0, {2, 3} feed 1.
        var down = RunTagged(4, 2, s => s.Rescale());
        AssertEveryRecordOnce(down, 1000);
        Assert.All(down, r => Assert.Equal(r.From / 2, r.To));
    }

    [Fact]
    public void BroadcastDeliversEveryRecordToEverySubtask()
    {
        var records = RunTagged(2, 3, s => s.Broadcast(), count: 500);
        foreach (var consumer in Enumerable.Range(0, 3))
            Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), records.Where(r => r.To == consumer).Select(r => r.Value).Order());
        Assert.Equal(1500, records.Count);
    }

    [Fact]
    public void PartitionCustomPutsEachRecordOnTheSubtaskTheFunctionChose()
    {
        var records = RunTagged(2, 3, s => s.PartitionCustom<long>((key, n) => (int)(key * 7 % n), t => t.Value));
        AssertEveryRecordOnce(records, 1000);
        Assert.All(records, r => Assert.Equal((int)(r.Value * 7 % 3), r.To));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public void KeyByPutsAllRecordsOfAKeyOnOneSubtask(int seed)
    {
        var random = new Random(seed);
        var keys = Enumerable.Range(0, 3000).Select(_ => "user-" + random.Next(40)).ToList();
        var env = JobTesting.Environment(parallelism: 4);
        var sink = new CollectSink<Tagged<string>>();
        env.FromCollection(keys).SetParallelism(2).KeyBy(k => k).Process(new TagSubtask<string>()).SinkTo(sink);
        env.Execute("key-by");

        Assert.Equal(keys.Order(StringComparer.Ordinal), sink.Results.Select(t => t.Value).Order(StringComparer.Ordinal));
        var subtasksPerKey = sink.Results.GroupBy(t => t.Value).ToDictionary(g => g.Key, g => g.Select(t => t.Subtask).Distinct().ToList());
        Assert.All(subtasksPerKey, kv => Assert.True(kv.Value.Count == 1, $"seed {seed}: key {kv.Key} was processed on subtasks {string.Join(",", kv.Value)}"));
        Assert.True(subtasksPerKey.Values.Select(v => v[0]).Distinct().Count() >= 3, $"seed {seed}: 40 keys should spread over most of the 4 subtasks");
    }
}
