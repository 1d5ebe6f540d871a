using StreamShield.Serialization;

namespace StreamShield.Sources;

/// <summary>
/// A replayable source in the style of Flink's split-based sources. The source's work is cut into splits
/// (a file, a range of sequence numbers, a partition); an enumerator lists them, and a reader on each parallel
/// subtask reads the splits assigned to it. A split value carries its own read position, and readers hand back
/// their splits (with current positions) at every checkpoint, so a restored job resumes each split exactly
/// where the checkpoint left it, at any parallelism.
/// </summary>
/// <typeparam name="T">Record type.</typeparam>
/// <typeparam name="TSplit">Split type: an immutable value including its read position. It is checkpointed with <see cref="SplitSerializer"/>.</typeparam>
public interface ISource<T, TSplit>
{
    /// <summary>True if the source ends (its splits are finite); the job then ends when all input is read.</summary>
    bool IsBounded { get; }

    /// <summary>Lists the splits when the job starts fresh (not on restore: restored splits come from the checkpoint).</summary>
    IReadOnlyList<TSplit> EnumerateSplits(int parallelism);

    /// <summary>Creates the reader of one parallel subtask.</summary>
    ISourceReader<T, TSplit> CreateReader(SourceReaderContext context);

    /// <summary>Serializer for splits in checkpoints. Defaults to <see cref="TypeSerializers.For{T}"/>.</summary>
    TypeSerializer<TSplit> SplitSerializer => TypeSerializers.For<TSplit>();
}

/// <summary>What a source reader knows of where it runs.</summary>
public sealed record SourceReaderContext(int SubtaskIndex, int Parallelism, TimeProvider Clock);

/// <summary>Whether a reader has more to give.</summary>
public enum InputStatus
{
    /// <summary>Records were emitted and more are available now.</summary>
    MoreAvailable,
    /// <summary>Nothing available right now (rate limit, empty directory); poll again soon.</summary>
    NothingAvailable,
    /// <summary>All assigned splits are finished and no more will come.</summary>
    EndOfInput,
}

/// <summary>
/// Reads the splits assigned to one subtask. All calls come from the subtask's thread; <see cref="PollNext"/> must
/// not block (return <see cref="InputStatus.NothingAvailable"/> instead) and should emit a bounded batch of records.
/// </summary>
public interface ISourceReader<T, TSplit> : IDisposable
{
    /// <summary>Assigns splits (fresh from the enumerator, or restored from a checkpoint with their positions).</summary>
    void AddSplits(IReadOnlyList<TSplit> splits);

    /// <summary>Emits a batch of records into <paramref name="output"/>.</summary>
    InputStatus PollNext(ISourceOutput<T> output);

    /// <summary>The unfinished splits with their current read positions, for a checkpoint.</summary>
    IReadOnlyList<TSplit> SnapshotState(long checkpointId);

    /// <summary>A checkpoint the reader contributed to is complete (e.g. to acknowledge messages upstream).</summary>
    void NotifyCheckpointComplete(long checkpointId) { }
}

/// <summary>Where a reader emits its records.</summary>
public interface ISourceOutput<in T>
{
    /// <summary>Emits a record; its timestamp comes from the watermark strategy's assigner, if any.</summary>
    void Collect(T record);

    /// <summary>Emits a record with an explicit event timestamp (epoch ms).</summary>
    void Collect(T record, long timestamp);
}
