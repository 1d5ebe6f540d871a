namespace StreamShield.Operators;

/// <summary>
/// User code threw. The message names the operator, the subtask and the position of the record being
/// processed, so the failing record can be found; the failure then goes through the restart strategy.
/// </summary>
public sealed class UserFunctionException : Exception
{
    internal UserFunctionException(string operatorName, int subtask, long recordPosition, Exception inner)
        : base($"User code in operator '{operatorName}' (subtask {subtask}) failed on input record #{recordPosition} of this subtask: {inner.GetType().Name}: {inner.Message}", inner)
    {
        OperatorName = operatorName;
        Subtask = subtask;
        RecordPosition = recordPosition;
    }

    /// <summary>The operator whose function threw.</summary>
    public string OperatorName { get; }
    /// <summary>The subtask index.</summary>
    public int Subtask { get; }
    /// <summary>The 1-based position of the record in the subtask's input since the attempt started.</summary>
    public long RecordPosition { get; }
}
