using StreamShield.Execution;
using StreamShield.Sinks;

namespace StreamShield.Tests.Api.Sinks;

/// <summary>
/// When sink output becomes visible: the file sink and the transactional collect sink commit only when a checkpoint
/// completes; the non-transactional collect sink shows records as they arrive.
/// </summary>
public sealed class SinkCommitTests
{
    private static string[] CommittedFiles(string dir) =>
        Directory.Exists(dir) ? Directory.GetFiles(dir, "part-*") : [];

    [Fact]
    public void FileSinkFilesAppearOnlyAfterTheirCheckpointCompletes()
    {
        using var dir = new TempDirectory("file-sink");
        var output = dir.Sub("out");
        var env = JobTesting.Environment(parallelism: 1);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(300));
        env.FromGenerator(n => $"line-{n}", count: null, recordsPerSecond: 2000).SinkTo(new FileSink<string>(output));
        var client = env.ExecuteAsync("file-sink-commit");
        try
        {
            var sawInProgressBeforeCommit = false;
            var committedSeen = JobTesting.WaitUntil(() =>
            {
                // List the files before reading the timeline: a commit (rename) happens after its checkpoint's
                // completion is in the timeline, so a committed file listed here must be explained by the timeline read next.
                var committed = CommittedFiles(output);
                var inProgress = Directory.Exists(output) ? Directory.GetFiles(output, ".part-*") : [];
                var completed = client.Timeline.Any(e => e.Kind == JobEventKind.CheckpointCompleted);
                Assert.True(committed.Length == 0 || completed,
                    $"committed files [{string.Join(", ", committed.Select(Path.GetFileName))}] exist before any checkpoint completed:\n{JobTesting.Describe(client.Timeline)}");
                if (!completed && inProgress.Length > 0) sawInProgressBeforeCommit = true;
                return committed.Length > 0;
            }, TimeSpan.FromSeconds(20));

            Assert.True(committedSeen, $"no file was committed within 20 s:\n{JobTesting.Describe(client.Timeline)}");
            Assert.True(sawInProgressBeforeCommit, "records should have been written to an in-progress file before the first commit");
        }
        finally
        {
            JobTesting.CancelAndWait(client);
        }

        // What was committed is a prefix of the (single subtask's) output, each line once.
        var lines = FileSink<string>.ReadCommittedLines(output);
        Assert.NotEmpty(lines);
        Assert.Equal(Enumerable.Range(0, lines.Count).Select(n => $"line-{n}"), lines.OrderBy(l => long.Parse(l["line-".Length..])));
        Assert.Equal(JobStatus.Canceled, client.Status);
    }

    [Fact]
    public void NonTransactionalCollectSinkShowsRecordsBeforeAnyCheckpointAndTransactionalDoesNot()
    {
        var env = JobTesting.Environment(parallelism: 2);
        var immediate = new CollectSink<long>(transactional: false);
        var transactional = new CollectSink<long>();
        var stream = env.FromGenerator(n => n, count: null, recordsPerSecond: 5000);
        stream.SinkTo(immediate);
        stream.SinkTo(transactional);
        var client = env.ExecuteAsync("collect-modes");
        bool arrived;
        try
        {
            arrived = JobTesting.WaitUntil(() => immediate.Results.Count >= 200, TimeSpan.FromSeconds(20));
            // Checkpointing is off, so nothing can have committed.
            Assert.Empty(transactional.Results);
        }
        finally
        {
            JobTesting.CancelAndWait(client);
        }
        Assert.True(arrived, "the non-transactional sink should show records while the job runs");
        Assert.Empty(transactional.Results); // a cancel commits nothing
        var seen = immediate.Results;
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(JobStatus.Canceled, client.Status);
    }

    [Fact]
    public void NonTransactionalCollectSinkOfABoundedJobHoldsEveryRecord()
    {
        var env = JobTesting.Environment(parallelism: 3);
        var sink = new CollectSink<string>(transactional: false);
        env.FromSequence(1, 5000).Map(n => $"#{n}").SinkTo(sink);
        env.Execute("collect-bounded");
        Assert.Equal(Enumerable.Range(1, 5000).Select(n => $"#{n}").Order(StringComparer.Ordinal), sink.Results.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(61, "throw:after=40:subtask=0")]
    [InlineData(62, "throw:after=80:subtask=1")]
    public void AtLeastOnceCheckpointingStillDeliversEveryRecordAfterAFault(int seed, string fault)
    {
        const int count = 6000;
        var random = new Random(seed);
        var keys = Enumerable.Range(0, count).Select(_ => random.Next(50)).ToArray();
        var env = JobTesting.Environment(parallelism: 2);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(15), CheckpointingMode.AtLeastOnce);
        env.RestartStrategy = RestartStrategy.FixedDelay(3, TimeSpan.Zero);
        env.Configuration["fault.task.process"] = fault;
        var sink = new CollectSink<(int Key, long Value)>();
        // Two sources and a shuffle: barriers from several channels, which at-least-once does not align.
        var a = env.FromGenerator(n => n, count / 2, recordsPerSecond: 12_000);
        var b = env.FromGenerator(n => count / 2 + n, count / 2, recordsPerSecond: 9_000);
        a.Union(b).Map(n => (Key: keys[n], Value: n)).KeyBy(t => t.Key).Map(t => t).SinkTo(sink);
        var result = JobTesting.Run(env, "at-least-once");

        var context = $"seed {seed}, fault {fault}; {JobTesting.Describe(result)}";
        Assert.True(result.Status == JobStatus.Finished, context);
        Assert.True(result.Metrics.Restarts >= 1, $"the fault should have restarted the job; {context}");
        var delivered = sink.Results.Select(t => t.Value).ToHashSet();
        var missing = Enumerable.Range(0, count).Where(n => !delivered.Contains(n)).Take(5).ToList();
        Assert.True(missing.Count == 0, $"records lost, e.g. [{string.Join(", ", missing)}]; {context}");
        Assert.All(sink.Results, t => Assert.Equal(keys[t.Value], t.Key));
    }
}
