namespace StreamShield.Operators;

/// <summary>
/// The runtime's unit of processing: one instance per parallel subtask, driven by exactly one thread (the
/// subtask's mailbox loop), so operators need no locks. Lifecycle: Setup → InitializeState → Open →
/// (elements, watermarks, snapshots)* → Finish (bounded input only) → Close.
/// </summary>
internal abstract class StreamOperator
{
    private OperatorContext? _context;

    internal OperatorContext Context => _context ?? throw new InvalidOperationException("Operator is not set up.");

    internal virtual void Setup(OperatorContext context) => _context = context;

    /// <summary>Connects the operator's output (an <see cref="IOutput{T}"/> of its output type); used by the runtime when it builds chains.</summary>
    internal abstract void SetOutputObject(object output);

    /// <summary>The operator's input <paramref name="index"/> as an <see cref="IOutput{T}"/> of that input's type.</summary>
    internal abstract object GetInput(int index);

    /// <summary>Restores operator state (keyed state is already restored in the backend). Called before Open.</summary>
    public virtual void InitializeState(bool isRestored) { }

    public virtual void Open() { }

    /// <summary>All input has ended (after the final watermark): emit whatever is buffered.</summary>
    public virtual void Finish() { }

    public virtual void Close() { }

    /// <summary>At the barrier, on the task thread: bring operator state up to date and pre-commit transactions.</summary>
    public virtual void SnapshotState(long checkpointId) { }

    public virtual void NotifyCheckpointComplete(long checkpointId) { }

    public virtual void NotifyCheckpointAborted(long checkpointId) { }
}
