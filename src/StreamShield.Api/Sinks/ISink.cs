using StreamShield.Serialization;

namespace StreamShield.Sinks;

/// <summary>
/// A sink with two-phase commit, for end-to-end exactly-once: records are written into a transaction, the
/// transaction is pre-committed at the checkpoint barrier (made durable but not visible) and stored in the
/// checkpoint, and committed when the checkpoint completes. On failure, uncommitted transactions are aborted;
/// on restore, pre-committed transactions of the restored checkpoint are committed again (commits must be idempotent).
/// </summary>
/// <typeparam name="T">Record type.</typeparam>
/// <typeparam name="TTransaction">A serializable handle to a pre-committed transaction.</typeparam>
public interface ISink<T, TTransaction>
{
    /// <summary>Creates the writer of one parallel subtask.</summary>
    ISinkWriter<T, TTransaction> CreateWriter(SinkWriterContext context);

    /// <summary>Serializer for transaction handles in checkpoints.</summary>
    TypeSerializer<TTransaction> TransactionSerializer => TypeSerializers.For<TTransaction>();

    /// <summary>
    /// Commits a pre-committed transaction; called after its checkpoint completed, and again after a restore for
    /// transactions that may not have been committed yet. Must be idempotent.
    /// </summary>
    void Commit(TTransaction transaction);

    /// <summary>
    /// Called by every subtask before its writer starts, with the handles of the restored checkpoint (they are
    /// recommitted next), to clean up what earlier attempts of this subtask left behind. Under region failover other
    /// subtasks of the job may be running another attempt meanwhile: touch only this subtask's leftovers (and, in
    /// subtask 0, those of subtask indexes beyond <see cref="SinkWriterContext.Parallelism"/> after a rescale).
    /// </summary>
    void RecoverAndCleanup(IReadOnlyList<TTransaction> pendingTransactions, SinkWriterContext context) { }
}

/// <summary>
/// What a sink writer knows of where it runs. <see cref="AttemptId"/> is unique to this attempt of this run of the
/// job (a job restored from a savepoint starts again at attempt 0), so names derived from it never collide with
/// leftovers of earlier attempts or runs.
/// </summary>
public sealed record SinkWriterContext(int SubtaskIndex, int Parallelism, int AttemptNumber, string AttemptId);

/// <summary>Writes one subtask's records into the current transaction.</summary>
public interface ISinkWriter<T, TTransaction> : IDisposable
{
    /// <summary>Writes one record into the open transaction.</summary>
    void Write(T record, long? timestamp);

    /// <summary>
    /// At the checkpoint barrier: makes the open transaction durable and returns its handle (or none if it is
    /// empty), then opens the next one. The handle is committed once checkpoint <paramref name="checkpointId"/> completes.
    /// </summary>
    IReadOnlyList<TTransaction> PreCommit(long checkpointId);

    /// <summary>Discards the open transaction (on failure or cancel).</summary>
    void Abort();
}
