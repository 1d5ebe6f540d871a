using System.Diagnostics.CodeAnalysis;

namespace StreamShield.Operators;

/// <summary>Throw helpers, kept out of line so the hot paths stay small.</summary>
internal static class OperatorErrors
{
    [DoesNotReturn]
    public static void UserCode(StreamOperator op, Exception e) =>
        throw new UserFunctionException(op.Context.OperatorName, op.Context.SubtaskIndex, op.Context.RecordsIn, e);

    /// <summary>True for exceptions that should be wrapped (not already attributed to an operator, not cancellation).</summary>
    public static bool ShouldWrap(Exception e) => e is not UserFunctionException and not OperationCanceledException and not KeySelectorException;
}

/// <summary>A key selector returned null or threw; keys must be non-null and selecting them must not fail.</summary>
public sealed class KeySelectorException(string message, Exception? inner = null) : Exception(message, inner);
