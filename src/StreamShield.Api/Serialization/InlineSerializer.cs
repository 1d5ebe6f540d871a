using System.Linq.Expressions;
using System.Reflection;

namespace StreamShield.Serialization;

/// <summary>
/// Base of the fixed-layout serializers for immutable scalar types (primitives, string, enums, date/time types, Guid).
/// Each derived class declares <c>public static void Write(T, DataOutput)</c> and <c>public static T Read(DataInput)</c>;
/// compiled object serializers call those static methods directly instead of going through a virtual call,
/// so scalar members are written without boxing or allocation.
/// </summary>
/// <typeparam name="T">The scalar type.</typeparam>
internal abstract class InlineSerializer<T> : TypeSerializer<T>, IBuiltInSerializer, IInlineSerializer
{
    private MethodInfo? _write;
    private MethodInfo? _read;

    /// <inheritdoc />
    public sealed override bool IsImmutable => true;

    /// <inheritdoc />
    public sealed override T Copy(T value) => value;

    /// <summary>An expression that writes <paramref name="value"/> to <paramref name="output"/>.</summary>
    public Expression EmitWrite(Expression value, Expression output) =>
        Expression.Call(_write ??= Find("Write"), value, output);

    /// <summary>An expression that reads one value from <paramref name="input"/>.</summary>
    public Expression EmitRead(Expression input) =>
        Expression.Call(_read ??= Find("Read"), input);

    private MethodInfo Find(string name) =>
        GetType().GetMethod(name, BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
        ?? throw new InvalidOperationException($"{GetType().Name} does not declare a public static {name} method.");
}
