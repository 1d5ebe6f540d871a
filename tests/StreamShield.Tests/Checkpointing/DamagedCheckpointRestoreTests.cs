using System.Globalization;
using StreamShield.Execution;
using StreamShield.Runtime.Checkpointing;
using StreamShield.Serialization;
using StreamShield.Sinks;

namespace StreamShield.Tests.Checkpointing;

/// <summary>
/// A job keeps three checkpoints and is cancelled; then the newest one is damaged in one way or another. Restoring
/// from the checkpoint root must skip it with a <see cref="JobEventKind.CheckpointSkipped"/> warning, restore the
/// previous one, and produce exactly the fault-free output (output the first run committed for checkpoints newer than
/// the restored one is replayed by design, so it is left out of the comparison).
/// </summary>
[Collection(nameof(CheckpointJobsCollection))]
public sealed class DamagedCheckpointRestoreTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private const long Records = 12_000;
    private const double Rate = 10_000; // 1.2 s of input: the first run is cancelled mid-run even on a loaded machine
    private const int Retained = 3;

    public enum Damage
    {
        MetadataBytesFlipped,
        MetadataTruncated,
        MetadataMagicOverwritten,
        StateFileBytesFlipped,
        StateFileTruncated,
        StateFileDeleted,
        /// <summary>A newer checkpoint directory whose metadata was never written (the job stopped mid-checkpoint).</summary>
        NewerCheckpointWithoutMetadata,
    }

    [Theory]
    [InlineData(Damage.MetadataBytesFlipped)]
    [InlineData(Damage.MetadataTruncated)]
    [InlineData(Damage.MetadataMagicOverwritten)]
    [InlineData(Damage.StateFileBytesFlipped)]
    [InlineData(Damage.StateFileTruncated)]
    [InlineData(Damage.StateFileDeleted)]
    [InlineData(Damage.NewerCheckpointWithoutMetadata)]
    public async Task RestoreSkipsTheDamagedCheckpointAndUsesThePreviousOne(Damage damage)
    {
        using var dir = new TempDirectory($"damaged-{damage}");
        var root = dir.Sub("checkpoints");
        var job = new CountingJob(Records, Rate, dir.Sub("out"));

        var first = Start(job, root, restore: false, $"damaged-{damage}-run1");
        await JobDriver.WaitUntil(first, c => c.Metrics.CheckpointsCompleted >= Retained + 1, $"{Retained + 1} checkpoints completed");
        var run1 = await JobDriver.CancelAndWait(first);

        var checkpoints = FileSystemCheckpointStorage.ListCheckpoints(root);
        Assert.True(checkpoints.Count == Retained, $"Expected {Retained} retained checkpoints, found {string.Join(", ", checkpoints)}\n{JobDriver.Describe(run1.Timeline)}");
        var (damaged, expectedRestore) = Apply(damage, checkpoints);
        log.WriteLine($"{damage}: damaged {Path.GetFileName(damaged)}, expecting a restore of {Path.GetFileName(expectedRestore)}");

        var second = Start(job, root, restore: true, $"damaged-{damage}-run2");
        var run2 = await JobDriver.Completed(second);
        var timeline = $"run 1:\n{JobDriver.Describe(run1.Timeline)}\nrun 2:\n{JobDriver.Describe(run2.Timeline)}";
        Assert.True(run2.Status == JobStatus.Finished, $"{damage}: {run2.Failure}\n{timeline}");
        var skipped = run2.Timeline.Where(e => e.Kind == JobEventKind.CheckpointSkipped).ToList();
        Assert.True(skipped.Count == 1 && skipped[0].Message.Contains(damaged, StringComparison.Ordinal),
            $"{damage}: expected one CheckpointSkipped warning naming '{damaged}'.\n{timeline}");
        Assert.True(run2.Timeline.Any(e => e.Kind == JobEventKind.Restored && e.Message.Contains($"at '{expectedRestore}'", StringComparison.Ordinal)),
            $"{damage}: expected a restore of '{expectedRestore}'.\n{timeline}");

        // Run 1's output of checkpoints newer than the restored one was committed and is now replayed: leave it out.
        // Run 2 numbers its checkpoints after the newest one it found, so its files are told apart by checkpoint id.
        var restoredId = IdOf(expectedRestore);
        var newestOfRun1 = IdOf(checkpoints[0]);
        var committed = Directory.GetFiles(job.Output, "part-*")
            .Where(f => CheckpointOfPart(f) is var id && (id <= restoredId || id > newestOfRun1))
            .Order(StringComparer.Ordinal)
            .SelectMany(File.ReadAllLines)
            .ToList();
        var diff = job.Diff(committed);
        Assert.True(diff is null, $"{damage}: {diff}\n{timeline}");
    }

    [Fact]
    public async Task RestoreFailsAtBuildWhenEveryCheckpointIsDamaged()
    {
        using var dir = new TempDirectory("damaged-all");
        var root = dir.Sub("checkpoints");
        var job = new CountingJob(Records, Rate, dir.Sub("out"));
        var first = Start(job, root, restore: false, "damaged-all-run1");
        await JobDriver.WaitUntil(first, c => c.Metrics.CheckpointsCompleted >= Retained, $"{Retained} checkpoints completed");
        await JobDriver.CancelAndWait(first);
        foreach (var c in FileSystemCheckpointStorage.ListCheckpoints(root)) FlipByte(Path.Combine(c, FileSystemCheckpointStorage.MetadataFileName), 20);

        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        env.RestorePath = root;
        job.Build(env);
        var e = Assert.Throws<JobBuildException>(() => env.ExecuteAsync("damaged-all-run2"));
        Assert.Contains(root, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoreFromADamagedSavepointFailsAtBuildNamingIt()
    {
        using var dir = new TempDirectory("damaged-savepoint");
        var job = new CountingJob(Records, Rate, dir.Sub("out"));
        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        env.Checkpointing.Directory = dir.Sub("checkpoints");
        job.Build(env);
        var client = env.ExecuteAsync("damaged-savepoint-run1");
        await JobDriver.WaitUntil(client, c => c.Metrics.RecordsIn > 0, "records flowed");
        var savepoint = await client.TriggerSavepointAsync(dir.Sub("savepoints"));
        await JobDriver.CancelAndWait(client);
        FlipByte(Path.Combine(savepoint, FileSystemCheckpointStorage.MetadataFileName), 30);

        var restored = StreamEnvironment.Create();
        restored.Parallelism = 2;
        restored.RestorePath = savepoint;
        job.Build(restored);
        var e = Assert.Throws<CorruptDataException>(() => restored.ExecuteAsync("damaged-savepoint-run2"));
        Assert.Contains(savepoint, e.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
    }

    private static IJobClient Start(CountingJob job, string root, bool restore, string name)
    {
        var env = StreamEnvironment.Create();
        env.Parallelism = 2;
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(30));
        env.Checkpointing.Directory = root;
        env.Checkpointing.RetainedCheckpoints = Retained;
        env.RestartStrategy = RestartStrategy.None();
        if (restore) env.RestorePath = root;
        job.Build(env);
        return env.ExecuteAsync(name);
    }

    /// <summary>Damages the newest checkpoint (or adds an incomplete newer one); returns the damaged directory and the one to restore.</summary>
    private static (string Damaged, string Restore) Apply(Damage damage, IReadOnlyList<string> checkpoints)
    {
        var newest = checkpoints[0];
        var metadata = Path.Combine(newest, FileSystemCheckpointStorage.MetadataFileName);
        var keyedState = Directory.GetFiles(newest, "*.kstate").Order(StringComparer.Ordinal).First(f => new FileInfo(f).Length > 0);
        switch (damage)
        {
            case Damage.MetadataBytesFlipped:
                FlipByte(metadata, new FileInfo(metadata).Length / 2);
                return (newest, checkpoints[1]);
            case Damage.MetadataTruncated:
                Truncate(metadata, new FileInfo(metadata).Length - 5);
                return (newest, checkpoints[1]);
            case Damage.MetadataMagicOverwritten:
                FlipByte(metadata, 0);
                return (newest, checkpoints[1]);
            case Damage.StateFileBytesFlipped:
                FlipByte(keyedState, new FileInfo(keyedState).Length / 2);
                return (newest, checkpoints[1]);
            case Damage.StateFileTruncated:
                Truncate(keyedState, new FileInfo(keyedState).Length / 2);
                return (newest, checkpoints[1]);
            case Damage.StateFileDeleted:
                File.Delete(keyedState);
                return (newest, checkpoints[1]);
            case Damage.NewerCheckpointWithoutMetadata:
                var incomplete = Path.Combine(Path.GetDirectoryName(newest)!, $"chk-{IdOf(newest) + 1}");
                Directory.CreateDirectory(incomplete);
                File.Copy(keyedState, Path.Combine(incomplete, Path.GetFileName(keyedState)));
                return (incomplete, newest);
            default:
                throw new ArgumentOutOfRangeException(nameof(damage));
        }
    }

    private static void FlipByte(string file, long position)
    {
        using var fs = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        fs.Position = position;
        var b = fs.ReadByte();
        fs.Position = position;
        fs.WriteByte((byte)~b);
    }

    private static void Truncate(string file, long length)
    {
        using var fs = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        fs.SetLength(length);
    }

    private static long IdOf(string checkpointDir) => long.Parse(Path.GetFileName(checkpointDir)["chk-".Length..], CultureInfo.InvariantCulture);

    /// <summary>Committed part files are named part-{subtask}-{checkpoint}-{attempt}-{n}.txt.</summary>
    private static long CheckpointOfPart(string file) => long.Parse(Path.GetFileName(file).Split('-')[2], CultureInfo.InvariantCulture);
}
