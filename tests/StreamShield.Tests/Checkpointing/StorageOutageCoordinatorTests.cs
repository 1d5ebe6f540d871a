using StreamShield.Execution;
using StreamShield.Runtime.Checkpointing;
using StreamShield.Runtime.Execution;
using StreamShield.Runtime.Tasks;
using StreamShield.Tests.Windowing;

namespace StreamShield.Tests.Checkpointing;

/// <summary>
/// Checkpoint storage that refuses new checkpoint directories (read-only, full): each refusal counts as a failed
/// checkpoint, keeps its id for the next try, and backs off from the interval up to a minute instead of retrying at
/// every tick. Driven by a manual clock: the coordinator's time moves only when the test says so.
/// </summary>
public sealed class StorageOutageCoordinatorTests
{
    /// <summary>Checkpoint storage on disk that can be switched to refuse new checkpoint directories.</summary>
    private sealed class SwitchableStorage(string root) : ICheckpointStorage
    {
        private readonly FileSystemCheckpointStorage _inner = new(root);
        public volatile bool ReadOnly;
        public int Refusals;
        public string Root => _inner.Root;

        public string CreateLocation(long checkpointId, string? savepointTarget)
        {
            if (ReadOnly)
            {
                Interlocked.Increment(ref Refusals);
                throw new IOException("Read-only file system");
            }
            return _inner.CreateLocation(checkpointId, savepointTarget);
        }

        public Stream CreateStateFile(string location, string fileName) => _inner.CreateStateFile(location, fileName);
        public void WriteMetadata(string location, byte[] metadata) => _inner.WriteMetadata(location, metadata);
        public void RecordCommitted(long checkpointId, string location) => _inner.RecordCommitted(checkpointId, location);
        public CommittedCheckpoint? ReadCommitted() => _inner.ReadCommitted();
        public IReadOnlyList<string> ListCheckpoints() => _inner.ListCheckpoints();
        public bool Discard(string location, IReadOnlySet<string>? keep = null) => _inner.Discard(location, keep);
    }

    /// <summary>A source subtask that records the checkpoints it was asked to take.</summary>
    private sealed class Source : ICheckpointParticipant
    {
        public readonly List<long> Triggered = new();
        public SubtaskId Id { get; } = new(0, 0);
        public bool IsSource => true;
        public bool CanCheckpoint => true;
        public void TriggerCheckpoint(long checkpointId) { lock (Triggered) Triggered.Add(checkpointId); }
        public void NotifyCheckpointComplete(long checkpointId) { }
        public void NotifyCheckpointAborted(long checkpointId) { }
    }

    private static bool Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition()) { if (DateTime.UtcNow > deadline) return false; Thread.Sleep(5); }
        return true;
    }

    [Fact]
    public void A_refused_checkpoint_directory_counts_as_a_failure_keeps_its_id_and_backs_off()
    {
        using var dir = new TempDirectory("storage-outage");
        var storage = new SwitchableStorage(dir.Sub("checkpoints")) { ReadOnly = true };
        var clock = new ManualClock();
        var timeline = new JobTimeline(clock);
        var config = new CheckpointConfig { Interval = TimeSpan.FromSeconds(1), TolerableCheckpointFailures = 1000 };
        var failures = new List<Exception>();
        using var coordinator = new CheckpointCoordinator(config, storage, timeline, "outage", clock, firstId: 1, failures.Add);
        var source = new Source();
        coordinator.Attach([source]);

        // Due after one interval; refused; then 2 s, 4 s, 8 s ... of pause, however fast the coordinator ticks.
        long[] pausesMs = [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000];
        clock.Advance(1000);
        Assert.True(Eventually(() => storage.Refusals == 1));
        foreach (var pause in pausesMs)
        {
            var before = storage.Refusals;
            clock.Advance(pause - 1);
            Thread.Sleep(50); // many ticks of the coordinator: none may retry before the pause is over
            Assert.Equal(before, storage.Refusals);
            clock.Advance(1);
            Assert.True(Eventually(() => storage.Refusals == before + 1), $"no retry after a pause of {pause} ms");
        }
        Assert.Equal(1 + pausesMs.Length, coordinator.Failed);
        Assert.Empty(source.Triggered);
        Assert.Empty(failures);
        Assert.All(timeline.Snapshot().Where(e => e.Kind == JobEventKind.CheckpointFailed), e => Assert.Contains("Checkpoint 1 failed: checkpoint storage refused", e.Message));

        // Storage back: the next checkpoint takes the id that was never used.
        storage.ReadOnly = false;
        clock.Advance(60_000);
        Assert.True(Eventually(() => { lock (source.Triggered) return source.Triggered.Count == 1; }));
        Assert.Equal(1, source.Triggered[0]);
    }

    [Fact]
    public void Refusals_beyond_the_tolerable_count_fail_the_job()
    {
        using var dir = new TempDirectory("storage-outage-fail");
        var storage = new SwitchableStorage(dir.Sub("checkpoints")) { ReadOnly = true };
        var clock = new ManualClock();
        var config = new CheckpointConfig { Interval = TimeSpan.FromSeconds(1), TolerableCheckpointFailures = 1 };
        var failures = new List<Exception>();
        using var coordinator = new CheckpointCoordinator(config, storage, new JobTimeline(clock), "outage", clock, firstId: 1, e => { lock (failures) failures.Add(e); });
        coordinator.Attach([new Source()]);

        clock.Advance(1000);
        Assert.True(Eventually(() => storage.Refusals == 1));
        clock.Advance(2000);
        Assert.True(Eventually(() => { lock (failures) return failures.Count == 1; }));
        Assert.Contains("More than 1 consecutive checkpoint failures", failures[0].Message);
    }

    [Fact]
    public void The_timeline_keeps_its_newest_events_within_its_capacity()
    {
        var timeline = new JobTimeline(new ManualClock());
        for (var i = 0; i < JobTimeline.Capacity + 10; i++) timeline.Add(JobEventKind.CheckpointCompleted, $"Checkpoint {i} completed");
        var events = timeline.Snapshot();
        Assert.Equal(JobTimeline.Capacity, events.Count);
        Assert.Equal("Checkpoint 10 completed", events[0].Message);
        Assert.Equal(10, timeline.Dropped);
    }
}
