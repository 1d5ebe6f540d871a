using System.Runtime.CompilerServices;
using System.Text;
using StreamShield.Execution;
using StreamShield.Sinks;
using StreamShield.Sources;

namespace StreamShield.Tests.Api.Sources;

/// <summary>
/// ReadTextFiles / <see cref="DirectorySource"/>: lines of every file ('\n' or "\r\n" terminated, a last line without
/// a terminator included), resuming exactly from a checkpointed byte offset.
/// </summary>
public sealed class DirectorySourceTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private sealed class ListOutput : ISourceOutput<string>
    {
        public List<string> Lines { get; } = new();
        public void Collect(string record) => Lines.Add(record);
        public void Collect(string record, long timestamp) => Lines.Add(record);
    }

    /// <summary>Writes the test files and returns every line the source must produce, in file order.</summary>
    private static List<string> WriteFiles(string dir, int seed, int linesPerFile)
    {
        var random = new Random(seed);
        var expected = new List<string>();
        string Line(int file, int i) => $"f{file}-l{i}-" + new string((char)('a' + random.Next(26)), random.Next(0, 40)) + (i % 7 == 0 ? " grüße ✓" : "");

        // Unix line endings, ending with a newline.
        var unix = Enumerable.Range(0, linesPerFile).Select(i => Line(0, i)).ToList();
        File.WriteAllText(Path.Combine(dir, "a-unix.txt"), string.Join("\n", unix) + "\n", new UTF8Encoding(false));
        expected.AddRange(unix);
        // Windows line endings, including empty lines, ending with a newline.
        var windows = Enumerable.Range(0, linesPerFile).Select(i => i % 50 == 3 ? "" : Line(1, i)).ToList();
        File.WriteAllText(Path.Combine(dir, "b-windows.txt"), string.Join("\r\n", windows) + "\r\n", new UTF8Encoding(false));
        expected.AddRange(windows);
        // Empty file.
        File.WriteAllText(Path.Combine(dir, "c-empty.txt"), "");
        // Mixed endings, last line without a terminator.
        var mixed = Enumerable.Range(0, linesPerFile).Select(i => Line(3, i)).ToList();
        var text = new StringBuilder();
        for (var i = 0; i < mixed.Count; i++) text.Append(mixed[i]).Append(i == mixed.Count - 1 ? "" : i % 2 == 0 ? "\r\n" : "\n");
        File.WriteAllText(Path.Combine(dir, "d-mixed.txt"), text.ToString(), new UTF8Encoding(false));
        expected.AddRange(mixed);
        // Hidden files are skipped (in-progress files of a file sink look like this).
        File.WriteAllText(Path.Combine(dir, ".hidden"), "not a line\n");
        return expected;
    }

    private static ISourceReader<string, FileSplit> Reader(DirectorySource source, IReadOnlyList<FileSplit> splits)
    {
        var reader = source.CreateReader(new SourceReaderContext(0, 1, TimeProvider.System));
        reader.AddSplits(splits);
        return reader;
    }

    [Theory]
    [InlineData(51, 5)]
    [InlineData(52, 700)]
    public void ReadsEveryLineOfEveryFileWithAnyLineEnding(int seed, int linesPerFile)
    {
        using var dir = new TempDirectory("dir-source");
        var expected = WriteFiles(dir.Path, seed, linesPerFile);
        var source = new DirectorySource(dir.Path);
        var output = new ListOutput();
        using var reader = Reader(source, source.EnumerateSplits(1));
        while (reader.PollNext(output) != InputStatus.EndOfInput) { }

        Assert.Equal(expected, output.Lines);
        Assert.Empty(reader.SnapshotState(1));
    }

    [Theory]
    [InlineData(53)]
    [InlineData(54)]
    public void ResumingFromAnySnapshotYieldsExactlyTheRemainingLines(int seed)
    {
        using var dir = new TempDirectory("dir-source-resume");
        var expected = WriteFiles(dir.Path, seed, linesPerFile: 1000);
        var source = new DirectorySource(dir.Path);
        var output = new ListOutput();
        using var reader = Reader(source, source.EnumerateSplits(1));
        var snapshots = new List<(int Emitted, IReadOnlyList<FileSplit> Splits)> { (0, reader.SnapshotState(0)) };
        while (reader.PollNext(output) != InputStatus.EndOfInput) snapshots.Add((output.Lines.Count, reader.SnapshotState(snapshots.Count)));

        Assert.True(snapshots.Count(s => s.Splits.Count > 0 && s.Splits[0].Offset > 0) >= 6, $"seed {seed}: snapshots should fall mid-file");
        foreach (var (emitted, splits) in snapshots)
        {
            var resumed = new ListOutput();
            using var restored = Reader(source, splits);
            while (restored.PollNext(resumed) != InputStatus.EndOfInput) { }
            Assert.True(expected.Skip(emitted).SequenceEqual(resumed.Lines),
                $"seed {seed}: resuming after {emitted} lines from [{string.Join(", ", splits)}] gave {resumed.Lines.Count} lines, expected {expected.Count - emitted}");
        }
    }

    [Fact]
    public void ALineLongerThanTheReadBufferIsReadWhole()
    {
        using var dir = new TempDirectory("dir-source-long");
        // Longer than the reader's 64 KB buffer, with a two-byte character at the end.
        var longLine = string.Concat(Enumerable.Range(0, 150_000).Select(i => (char)('a' + i % 26))) + "é";
        var lines = new[] { "first", longLine, "", longLine + "!", "last" };
        File.WriteAllText(Path.Combine(dir.Path, "long.txt"), string.Join("\n", lines), new UTF8Encoding(false));
        var source = new DirectorySource(dir.Path);
        var output = new ListOutput();
        using var reader = Reader(source, source.EnumerateSplits(1));
        while (reader.PollNext(output) != InputStatus.EndOfInput) { }

        Assert.Equal(lines, output.Lines);
    }

    [Fact]
    public void AMissingDirectoryFailsNamingTheDirectoryAndTheFix()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"ss-missing-{Guid.NewGuid():N}");
        var env = JobTesting.Environment(parallelism: 1);
        env.RestartStrategy = RestartStrategy.None();
        env.ReadTextFiles(missing).SinkTo(new CollectSink<string>());
        var error = Assert.Throws<JobFailedException>(() => env.Execute("missing-dir"));

        Assert.Contains(missing, error.Message);
        Assert.Contains("does not exist", error.Message);
        Assert.Contains("Create it or point ReadTextFiles at an existing directory", error.Message);
    }

    [Theory]
    [InlineData(55, "fault.task.process", "throw:after=30:subtask=0")]
    [InlineData(56, "fault.task.process", "throw:after=60:subtask=1")]
    [InlineData(57, "fault.channel.send", "throw:after=10:subtask=0")]
    public void ARestartMidFileCommitsEveryLineExactlyOnceThroughTheFileSink(int seed, string faultPoint, string fault)
    {
        using var dir = new TempDirectory("dir-source-restart");
        var input = dir.Sub("in");
        Directory.CreateDirectory(input);
        var expected = WriteFiles(input, seed, linesPerFile: 30_000);
        var output = dir.Sub("out");

        var env = JobTesting.Environment(parallelism: 2);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(10));
        env.Checkpointing.Directory = dir.Sub("checkpoints");
        env.RestartStrategy = RestartStrategy.FixedDelay(3, TimeSpan.Zero);
        env.Configuration[faultPoint] = fault;
        // Rebalance puts a channel (with its retained output and barriers) between the reader and the writer.
        env.ReadTextFiles(input).Rebalance().Map(l => l, "Identity").SinkTo(new FileSink<string>(output));
        var result = JobTesting.Run(env, "read-text-files");

        var context = $"seed {seed}, {faultPoint}={fault}; {JobTesting.Describe(result)}";
        Assert.True(result.Status == JobStatus.Finished, context);
        Assert.True(result.Timeline.Any(e => e.Kind == JobEventKind.FaultInjected), $"the fault did not fire; {context}");
        log.WriteLine(string.Join("\n", result.Timeline.Where(e => e.Kind is JobEventKind.FaultInjected or JobEventKind.Restored).Select(e => e.Message)));
        var committed = FileSink<string>.ReadCommittedLines(output);
        var want = expected.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var got = committed.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var wrong = want.Keys.Union(got.Keys).Where(l => want.GetValueOrDefault(l) != got.GetValueOrDefault(l)).ToList();
        Assert.True(wrong.Count == 0,
            $"committed {committed.Count} of {expected.Count} lines; {wrong.Count} lines with wrong counts, e.g. " +
            $"[{string.Join(" | ", wrong.Take(3).Select(l => $"'{l}' x{got.GetValueOrDefault(l)} (want {want.GetValueOrDefault(l)})"))}]; {context}");
    }

    [Theory]
    [InlineData(58)]
    [InlineData(59)]
    public async Task AFailureAfterACompletedCheckpointResumesMidFileAndCommitsEveryLineExactlyOnce(int seed)
    {
        using var dir = new TempDirectory("dir-source-resume-job");
        var input = dir.Sub("in");
        Directory.CreateDirectory(input);
        var expected = WriteFiles(input, seed, linesPerFile: 30_000);
        var output = dir.Sub("out");

        var env = JobTesting.Environment(parallelism: 2);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(10));
        env.RestartStrategy = RestartStrategy.FixedDelay(3, TimeSpan.Zero);
        // The map is slowed down so that the job is still reading its files when the first checkpoint completes; it then
        // fails once, on whichever subtask sees the signal first.
        var checkpointCompleted = new StrongBox<bool>();
        long processed = 0, failures = 0;
        env.ReadTextFiles(input).Rebalance().Map(l =>
        {
            if (Interlocked.Increment(ref processed) % 100 == 0) Thread.Sleep(1);
            if (Volatile.Read(ref checkpointCompleted.Value) && Interlocked.Exchange(ref failures, 1) == 0)
                throw new InvalidOperationException("failing after a completed checkpoint");
            return l;
        }, "SlowIdentity").SinkTo(new FileSink<string>(output));
        var client = env.ExecuteAsync("read-text-files-resume");
        JobTesting.WaitUntil(() => client.Timeline.Any(e => e.Kind == JobEventKind.CheckpointCompleted) || client.Completion.IsCompleted, TimeSpan.FromSeconds(30));
        Volatile.Write(ref checkpointCompleted.Value, true);
        var result = await client.Completion;

        var context = $"seed {seed}; {JobTesting.Describe(result)}";
        Assert.True(result.Status == JobStatus.Finished, context);
        Assert.True(result.Metrics.Restarts == 1, $"the job should have failed once mid-file; {context}");
        Assert.True(result.Timeline.Any(e => e.Kind == JobEventKind.Restored), $"the restart did not restore a checkpoint; {context}");
        var committed = FileSink<string>.ReadCommittedLines(output);
        Assert.True(expected.Order(StringComparer.Ordinal).SequenceEqual(committed.Order(StringComparer.Ordinal)),
            $"committed {committed.Count} of {expected.Count} lines; {context}");
    }
}
