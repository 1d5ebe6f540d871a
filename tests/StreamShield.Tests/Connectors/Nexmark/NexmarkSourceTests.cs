using StreamShield.Connectors.Nexmark;
using StreamShield.Execution;
using StreamShield.Sinks;
using StreamShield.Sources;
using StreamShield.Tests.Api;
using StreamShield.Tests.Windowing;

namespace StreamShield.Tests.Connectors.Nexmark;

/// <summary>
/// The split-based source: splits interleave event numbers, readers merge theirs in order, positions restore
/// exactly (at the same or another parallelism), rate limiting follows the event-time schedule, and a job at any
/// parallelism emits exactly the generator's events.
/// </summary>
public sealed class NexmarkSourceTests
{
    private static readonly NexmarkOptions Small = NexmarkOptions.Default with { MaxEvents = 10_000 };

    [Fact]
    public void SplitsInterleaveEventNumbersAndCoverEachOnce()
    {
        var source = new NexmarkSource(Small);
        Assert.Equal(
            [new NexmarkSplit(0, 3, 10_000, null), new NexmarkSplit(1, 3, 10_000, null), new NexmarkSplit(2, 3, 10_000, null)],
            source.EnumerateSplits(3));
        Assert.Equal(2, new NexmarkSource(NexmarkOptions.Default with { MaxEvents = 2 }).EnumerateSplits(4).Count);
        Assert.True(source.IsBounded);
        Assert.False(new NexmarkSource(NexmarkOptions.Default).IsBounded);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ReadersTogetherEmitTheGeneratorsEventsEachInTimestampOrder(int parallelism)
    {
        var source = new NexmarkSource(Small);
        var splits = source.EnumerateSplits(parallelism);
        var all = new List<Event>();
        for (var subtask = 0; subtask < parallelism; subtask++)
        {
            using var reader = source.CreateReader(new SourceReaderContext(subtask, parallelism, TimeProvider.System));
            reader.AddSplits([splits[subtask]]);
            var events = Drain(reader);
            Assert.Equal(events.Select(e => e.Timestamp).Order(), events.Select(e => e.Timestamp));
            all.AddRange(events);
        }
        AssertSameEvents(source.Generator.Generate(0, Small.MaxEvents), all);
    }

    [Fact]
    public void ARestoredSplitContinuesExactlyWhereTheSnapshotLeftOff()
    {
        var source = new NexmarkSource(Small);
        var context = new SourceReaderContext(0, 2, TimeProvider.System);
        var first = source.CreateReader(context);
        first.AddSplits(source.EnumerateSplits(2));
        var output = new ListOutput();
        first.PollNext(output);
        first.PollNext(output);
        var snapshot = first.SnapshotState(checkpointId: 1);
        first.PollNext(output); // emitted after the checkpoint: replayed after the restore
        first.Dispose();

        var beforeCheckpoint = output.Events.Take(1_024).ToList();
        Assert.Equal(source.Generator.Generate(0, 1_024), beforeCheckpoint); // two splits merged in event-number order
        Assert.Equal([new NexmarkSplit(1_024, 2, 10_000, null), new NexmarkSplit(1_025, 2, 10_000, null)], snapshot.OrderBy(s => s.NextEventNumber));

        // Restore at parallelism 3: one reader gets one split, another the other, a third none.
        var restored = new List<Event>();
        for (var subtask = 0; subtask < 3; subtask++)
        {
            using var reader = source.CreateReader(new SourceReaderContext(subtask, 3, TimeProvider.System));
            reader.AddSplits(snapshot.Where((_, i) => i == subtask).ToList());
            restored.AddRange(Drain(reader));
        }
        AssertSameEvents(source.Generator.Generate(0, Small.MaxEvents), beforeCheckpoint.Concat(restored));
    }

    [Fact]
    public void ARateLimitedReaderEmitsEventsWhenTheyAreDueAndCatchesUpAfterARestore()
    {
        var options = NexmarkOptions.Default with { MaxEvents = 100_000, FirstEventRate = 1_000, NextEventRate = 1_000, IsRateLimited = true };
        var source = new NexmarkSource(options);
        var clock = new ManualClock(startMillis: 5_000_000);
        var reader = source.CreateReader(new SourceReaderContext(0, 1, clock));
        reader.AddSplits(source.EnumerateSplits(1));
        var output = new ListOutput();

        Assert.Equal(InputStatus.MoreAvailable, reader.PollNext(output)); // event 0 is due at once
        Assert.Equal(InputStatus.NothingAvailable, reader.PollNext(output));
        Assert.Single(output.Events);
        clock.Advance(10);
        reader.PollNext(output);
        Assert.Equal(11, output.Events.Count); // one per millisecond at 1,000 per second
        var snapshot = reader.SnapshotState(1);
        Assert.Equal([new NexmarkSplit(11, 1, 100_000, 5_000_000)], snapshot);
        reader.Dispose();

        // Restored 300 ms later: the split keeps its start, so the events that fell due meanwhile come at once.
        clock.Advance(300);
        using var restored = source.CreateReader(new SourceReaderContext(0, 1, clock));
        restored.AddSplits(snapshot);
        while (restored.PollNext(output) == InputStatus.MoreAvailable) { }
        Assert.Equal(311, output.Events.Count);
        AssertSameEvents(source.Generator.Generate(0, 311), output.Events);
    }

    [Fact]
    public void AJobAtParallelismTwoEmitsExactlyTheEventsOfOneGenerator()
    {
        var options = NexmarkOptions.Default with { MaxEvents = 30_000 };
        var env = JobTesting.Environment(parallelism: 2);
        var sink = new CollectSink<string>();
        // Rebalance: events cross channels, so they go through their binary serializer.
        env.FromNexmark(options).Rebalance().Map(e => NexmarkJsonWriter.ToJson(e)).SinkTo(sink);
        var result = env.Execute("nexmark-parallel");

        Assert.Equal(JobStatus.Finished, result.Status);
        var expected = new NexmarkGenerator(options).Generate(0, options.MaxEvents).Select(e => NexmarkJsonWriter.ToJson(e));
        Assert.Equal(expected.Order(StringComparer.Ordinal), sink.Results.Order(StringComparer.Ordinal));
    }

    private static List<Event> Drain(ISourceReader<Event, NexmarkSplit> reader)
    {
        var output = new ListOutput();
        while (reader.PollNext(output) != InputStatus.EndOfInput) { }
        return output.Events;
    }

    private static void AssertSameEvents(IEnumerable<Event> expected, IEnumerable<Event> actual)
    {
        var expectedJson = expected.Select(e => NexmarkJsonWriter.ToJson(e)).Order(StringComparer.Ordinal).ToList();
        var actualJson = actual.Select(e => NexmarkJsonWriter.ToJson(e)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedJson.Count, actualJson.Count);
        Assert.Equal(expectedJson, actualJson);
    }

    private sealed class ListOutput : ISourceOutput<Event>
    {
        public List<Event> Events { get; } = [];
        public void Collect(Event record) => Events.Add(record);
        public void Collect(Event record, long timestamp) => Events.Add(record);
    }
}
