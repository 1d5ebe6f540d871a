using System.Globalization;
using StreamShield.Connectors.Nexmark;
using StreamShield.Examples;
using StreamShield.Tests.Connectors.Nexmark.Queries;

namespace StreamShield.Tests.Cluster;

/// <summary>
/// <see cref="NexmarkJob"/>, the submittable Nexmark job, built and run embedded: its rows (counted by the latency
/// sink's files) are the query's LINQ reference rows, also when paced at a rate.
/// </summary>
public sealed class NexmarkJobTests
{
    private const int Events = 5_000;

    /// <summary>Runs the job embedded at parallelism 2 and returns the rows counted in its latency files, and the files' p99s.</summary>
    private static (long Rows, List<double> P99s) RunJob(TempDirectory dir, params string[] args)
    {
        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(200));
        new NexmarkJob().Build(env, [.. args, "--latency-output", dir.Path]);
        env.Execute("nexmark job test");
        long rows = 0;
        var p99s = new List<double>();
        foreach (var file in Directory.EnumerateFiles(dir.Path, "latency-*.csv"))
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(',');
                rows += long.Parse(fields[1], CultureInfo.InvariantCulture);
                p99s.Add(double.Parse(fields[3], CultureInfo.InvariantCulture));
            }
        return (rows, p99s);
    }

    private static int ExpectedQ1Rows()
    {
        var events = new NexmarkGenerator(new NexmarkOptions { MaxEvents = Events }).Generate(0, Events).ToList();
        return NexmarkReference.Q1(events).Count();
    }

    [Fact]
    public void Q1RunsEmbeddedAndProducesTheReferenceRows()
    {
        using var dir = new TempDirectory("nexmark-job");
        var (rows, _) = RunJob(dir, "--query", "q1", "--events", Events.ToString(CultureInfo.InvariantCulture));
        var expected = ExpectedQ1Rows();
        Assert.True(expected > 0);
        Assert.Equal(expected, rows);
    }

    [Fact]
    public void PacedQ1RecordsEveryRowWithItsLatency()
    {
        using var dir = new TempDirectory("nexmark-job-paced");
        var baseTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 200;
        var (rows, p99s) = RunJob(dir, "--query", "q1", "--events", Events.ToString(CultureInfo.InvariantCulture), "--rate", "20000",
            "--base-time", baseTime.ToString(CultureInfo.InvariantCulture), "--latency-bucket-ms", "100");
        Assert.Equal(ExpectedQ1Rows(), rows);
        // Event times are due times, so latencies are small (generous bound: a shared, loaded machine).
        Assert.All(p99s, p => Assert.InRange(p, 0, 10_000));
    }

    [Theory]
    [InlineData("--events", "10")]
    [InlineData("--query", "q99")]
    [InlineData("--query", "q1", "--rate", "0")]
    [InlineData("--query", "q1", "--base-time", "5")]
    [InlineData("--query", "q1", "--bogus", "1")]
    public void BadArgumentsAreRejected(params string[] args) =>
        Assert.Throws<ArgumentException>(() => NexmarkJob.Parse(args));

    [Fact]
    public void TheExamplesListTheNexmarkJob() => Assert.IsType<NexmarkJob>(ExampleJobs.All["nexmark"]());
}
