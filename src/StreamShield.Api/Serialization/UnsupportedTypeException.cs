namespace StreamShield.Serialization;

/// <summary>
/// Thrown by <see cref="TypeSerializers"/> when no serializer can be created for a type: at factory time
/// (when a job is built or a serializer is first requested), never while records are being processed.
/// </summary>
/// <remarks>
/// The message names the requested type with its full name, the member path that failed
/// (for example <c>Order.Customer.Handle: System.IntPtr</c>), why the member is not supported and how to fix it.
/// </remarks>
public sealed class UnsupportedTypeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="unsupportedType">The type a serializer was requested for.</param>
    /// <param name="offendingType">The type (the requested type itself or one reached through its members) that cannot be serialized.</param>
    /// <param name="memberPath">Where <paramref name="offendingType"/> was reached, e.g. <c>Order.Customer.Handle</c>.</param>
    /// <param name="reason">Why <paramref name="offendingType"/> is not supported.</param>
    public UnsupportedTypeException(Type unsupportedType, Type offendingType, string memberPath, string reason)
        : base(BuildMessage(unsupportedType, offendingType, memberPath, reason))
    {
        UnsupportedType = unsupportedType;
        OffendingType = offendingType;
        MemberPath = memberPath;
        Reason = reason;
    }

    /// <summary>The type a serializer was requested for (the root of <see cref="MemberPath"/>).</summary>
    public Type UnsupportedType { get; }

    /// <summary>The type that cannot be serialized: <see cref="UnsupportedType"/> itself or the type of a member reached from it.</summary>
    public Type OffendingType { get; }

    /// <summary>The member path from <see cref="UnsupportedType"/> to <see cref="OffendingType"/>, e.g. <c>Order.Customer.Handle</c>.
    /// Collection elements appear as <c>[]</c>, dictionary keys and values as <c>[key]</c> and <c>[value]</c>.</summary>
    public string MemberPath { get; }

    /// <summary>Why <see cref="OffendingType"/> is not supported.</summary>
    public string Reason { get; }

    private static string BuildMessage(Type unsupportedType, Type offendingType, string memberPath, string reason)
    {
        var root = TypeNames.Full(unsupportedType);
        var offending = TypeNames.Full(offendingType);
        var where = offendingType == unsupportedType && !memberPath.Contains('.') && !memberPath.Contains('[')
            ? $"the type itself ('{memberPath}: {offending}')"
            : $"member '{memberPath}: {offending}'";
        return $"Cannot create a serializer for type '{root}': {where} is not supported because {reason}. " +
               "To fix it, use a class/record/struct with public properties or fields and a public constructor " +
               "(a constructor whose parameters match the public read-only members by name and type, or a public " +
               "parameterless constructor with public settable properties/fields), or register a custom TypeSerializer via " +
               $"TypeSerializers.Register<{offending.Replace('+', '.')}>(serializer).";
    }
}
