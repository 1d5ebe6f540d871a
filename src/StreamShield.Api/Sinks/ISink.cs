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
    /// Called once per job attempt before writers start, with the handles to be recommitted, to clean up leftovers of
    /// failed attempts and earlier runs. <paramref name="attemptId"/> is unique to this attempt (see <see cref="SinkWriterContext.AttemptId"/>).
    /// </summary>
    void RecoverAndCleanup(IReadOnlyList<TTransaction> pendingTransactions, string attemptId) { }
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
