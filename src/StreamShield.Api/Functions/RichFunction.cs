namespace StreamShield.Functions;

/// <summary>
/// Base of functions with a lifecycle: <see cref="Open"/> runs once per subtask attempt before the first record
/// (after state is restored), <see cref="Close"/> when the subtask ends or is cancelled.
/// </summary>
public abstract class RichFunction
{
    private RuntimeContext? _context;

    /// <summary>The runtime context; available from <see cref="Open"/> on.</summary>
    protected RuntimeContext RuntimeContext => _context ?? throw new InvalidOperationException("The runtime context is available from Open() on.");

    internal void SetRuntimeContext(RuntimeContext context) => _context = context;

    /// <summary>Called once before the first record. Create state handles here.</summary>
    public virtual void Open() { }

    /// <summary>Called once when the subtask ends or is cancelled.</summary>
    public virtual void Close() { }
}
