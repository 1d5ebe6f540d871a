using StreamShield.Functions;
using StreamShield.State;

namespace StreamShield.Operators;

/// <summary>Drives a user function's lifecycle hooks from its operator's.</summary>
internal static class FunctionLifecycle
{
    public static void Initialize(object function, StreamOperator op, RuntimeContext context, bool isRestored)
    {
        if (function is RichFunction rich) rich.SetRuntimeContext(context);
        if (function is not ICheckpointedFunction cp) return;
        try { cp.InitializeState(op.Context.OperatorState, isRestored); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(op, e); }
    }

    public static void Open(object function, StreamOperator op)
    {
        if (function is not RichFunction rich) return;
        try { rich.Open(); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(op, e); }
    }

    public static void Close(object function, StreamOperator op)
    {
        if (function is not RichFunction rich) return;
        try { rich.Close(); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(op, e); }
    }

    public static void Snapshot(object function, StreamOperator op, long checkpointId)
    {
        if (function is not ICheckpointedFunction cp) return;
        try { cp.SnapshotState(checkpointId); }
        catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { OperatorErrors.UserCode(op, e); }
    }
}
