using System.Linq.Expressions;

namespace StreamShield.Serialization;

/// <summary>A serializer whose read and write can be emitted directly into a compiled object serializer (no virtual call).</summary>
internal interface IInlineSerializer
{
    /// <summary>An expression that writes <paramref name="value"/> to <paramref name="output"/>.</summary>
    Expression EmitWrite(Expression value, Expression output);

    /// <summary>An expression that reads one value from <paramref name="input"/>.</summary>
    Expression EmitRead(Expression input);
}
