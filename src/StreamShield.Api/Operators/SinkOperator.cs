using StreamShield.Serialization;
using StreamShield.Sinks;

namespace StreamShield.Operators;

/// <summary>
/// Hosts a two-phase-commit sink writer: pre-commits at each barrier, keeps the pre-committed transactions in
/// (union) operator state until their checkpoint completes, commits them then, and recommits the restored
/// ones after a failure.
/// </summary>
internal sealed class SinkOperator<T, TTxn>(ISink<T, TTxn> sink) : OneInputStreamOperator<T, T>, ISinkOperatorMetrics
{
    private ISinkWriter<T, TTxn> _writer = null!;
    private State.IOperatorListState<PendingTransaction<TTxn>> _state = null!;
    private readonly List<PendingTransaction<TTxn>> _pending = new();
    private long _written;

    public long RecordsWritten => _written;

    public override void InitializeState(bool isRestored)
    {
        _state = Context.GetListState("sink-pending-transactions", new PendingTransactionSerializer<TTxn>(sink.TransactionSerializer), union: true);
        // Union state gives every subtask all pending transactions of the restored checkpoint. Each restored subtask
        // recommits them all (commits are idempotent): under region failover only some subtasks restore, and the
        // transactions of a restarted subtask must not depend on subtask 0 restarting too.
        var restored = isRestored ? _state.Get().ToList() : new List<PendingTransaction<TTxn>>();
        var context = new SinkWriterContext(Context.SubtaskIndex, Context.Parallelism, Context.AttemptNumber, Context.AttemptId);
        sink.RecoverAndCleanup(restored.Select(p => p.Transaction).ToList(), context);
        foreach (var p in restored) sink.Commit(p.Transaction);
        _state.Clear();
        _writer = sink.CreateWriter(context);
    }

    public override void ProcessElement(T value, long timestamp)
    {
        _written++;
        try { _writer.Write(value, timestamp == StreamRecord.NoTimestamp ? null : timestamp); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(this, e); }
    }

    public override void ProcessWatermark(long watermark) { }

    public override void SnapshotState(long checkpointId)
    {
        foreach (var txn in _writer.PreCommit(checkpointId)) _pending.Add(new PendingTransaction<TTxn>(checkpointId, txn));
        _state.Update(_pending);
    }

    public override void NotifyCheckpointComplete(long checkpointId)
    {
        var i = 0;
        while (i < _pending.Count)
        {
            if (_pending[i].CheckpointId <= checkpointId) { sink.Commit(_pending[i].Transaction); _pending.RemoveAt(i); }
            else i++;
        }
    }

    public override void Close()
    {
        if (_writer is null) return;
        _writer.Abort();
        _writer.Dispose();
    }
}

/// <summary>A transaction pre-committed for a checkpoint, waiting for it to complete.</summary>
internal readonly record struct PendingTransaction<TTxn>(long CheckpointId, TTxn Transaction);

internal sealed class PendingTransactionSerializer<TTxn>(TypeSerializer<TTxn> inner) : TypeSerializer<PendingTransaction<TTxn>>
{
    public override void Serialize(PendingTransaction<TTxn> value, DataOutput output)
    {
        output.WriteInt64(value.CheckpointId);
        inner.Serialize(value.Transaction, output);
    }

    public override PendingTransaction<TTxn> Deserialize(DataInput input)
    {
        var id = input.ReadInt64();
        return new PendingTransaction<TTxn>(id, inner.Deserialize(input));
    }
}

/// <summary>Lets the runtime count records written by a sink operator.</summary>
internal interface ISinkOperatorMetrics
{
    long RecordsWritten { get; }
}
