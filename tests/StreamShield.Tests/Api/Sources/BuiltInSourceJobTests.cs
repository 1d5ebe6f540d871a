using StreamShield.Execution;
using StreamShield.Sinks;

namespace StreamShield.Tests.Api.Sources;

/// <summary>FromCollection, FromSequence and FromGenerator emit exactly their records, at any parallelism.</summary>
public sealed class BuiltInSourceJobTests
{
    public sealed record Item(int Id, string Name, double[] Scores);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public void FromCollectionEmitsEveryElementOnce(int parallelism)
    {
        var items = Enumerable.Range(0, 1234).Select(i => new Item(i, $"item-{i}", [i, i / 2.0])).ToList();
        var env = JobTesting.Environment(parallelism);
        var sink = new CollectSink<Item>();
        env.FromCollection(items).SinkTo(sink);
        env.Execute("from-collection");

        var actual = sink.Results.OrderBy(i => i.Id).ToList();
        Assert.Equal(items.Select(i => (i.Id, i.Name)), actual.Select(i => (i.Id, i.Name)));
        Assert.All(actual, i => Assert.Equal([i.Id, i.Id / 2.0], i.Scores));
    }

    [Fact]
    public void FromCollectionWithFewerElementsThanSubtasksOrNoneFinishes()
    {
        var env = JobTesting.Environment(parallelism: 4);
        var few = new CollectSink<string>();
        var none = new CollectSink<string>();
        env.FromCollection(["x", "y"]).SinkTo(few);
        env.FromCollection(Array.Empty<string>()).SinkTo(none);
        var result = env.Execute("tiny-collections");

        Assert.Equal(JobStatus.Finished, result.Status);
        Assert.Equal(["x", "y"], few.Results.Order(StringComparer.Ordinal));
        Assert.Empty(none.Results);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(-500, 499, 3)]
    [InlineData(10, 9, 2)]                           // empty
    [InlineData(long.MaxValue - 5000, long.MaxValue - 3, 2)] // near the end of the range
    public void FromSequenceEmitsTheInclusiveRange(long from, long to, int parallelism)
    {
        var env = JobTesting.Environment(parallelism);
        var sink = new CollectSink<long>();
        env.FromSequence(from, to).SinkTo(sink);
        var result = env.Execute("from-sequence");

        Assert.Equal(JobStatus.Finished, result.Status);
        var expected = new List<long>();
        for (var n = from; n <= to && n >= from; n++) expected.Add(n);
        Assert.Equal(expected, sink.Results.Order());
    }

    [Fact]
    public void RateLimitedFromGeneratorEmitsExactlyTheGeneratedRecords()
    {
        var env = JobTesting.Environment(parallelism: 2);
        var sink = new CollectSink<string>();
        env.FromGenerator(n => $"r{n * n}", count: 1500, recordsPerSecond: 5000).SinkTo(sink);
        var result = env.Execute("rate-limited");

        Assert.Equal(JobStatus.Finished, result.Status);
        Assert.Equal(Enumerable.Range(0, 1500).Select(n => $"r{(long)n * n}").Order(StringComparer.Ordinal), sink.Results.Order(StringComparer.Ordinal));
        Assert.Equal(1500, result.Metrics.RecordsIn);
    }

    [Fact]
    public void FromGeneratorWithCountZeroIsEmpty()
    {
        var env = JobTesting.Environment(parallelism: 2);
        var sink = new CollectSink<long>();
        env.FromGenerator(n => n, count: 0).SinkTo(sink);
        Assert.Equal(JobStatus.Finished, env.Execute("empty-generator").Status);
        Assert.Empty(sink.Results);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ANonPositiveRateLimitIsRejectedInsteadOfStallingTheJob(double rate)
    {
        var env = JobTesting.Environment(parallelism: 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => env.FromGenerator(n => n, count: 10, recordsPerSecond: rate));
        Assert.Equal("recordsPerSecond", error.ParamName);
        Assert.Contains("positive number of records per second; pass null for no limit", error.Message);
    }

    [Fact]
    public void ANegativeCountIsRejected()
    {
        var env = JobTesting.Environment(parallelism: 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => env.FromGenerator(n => n, count: -1));
        Assert.Equal("count", error.ParamName);
        Assert.Contains("must not be negative; pass null for an unbounded stream", error.Message);
    }
}
