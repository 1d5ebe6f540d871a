using System.Linq.Expressions;
using System.Reflection;

namespace StreamShield.Serialization;

/// <summary>One serialized public property or field of a user type, as planned by <see cref="ObjectLayout"/>.</summary>
internal sealed class ObjectMember(MemberInfo member, Type type, int parameterIndex)
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Type, PropertyInfo> s_isImmutableProperties = new();

    /// <summary>The property or field.</summary>
    public MemberInfo Member { get; } = member;

    /// <summary>The member's declared type.</summary>
    public Type Type { get; } = type;

    /// <summary>The member name (also the path segment in error messages).</summary>
    public string Name => Member.Name;

    /// <summary>Index of the constructor parameter that receives this member, or -1 when it is assigned after construction.</summary>
    public int ParameterIndex { get; } = parameterIndex;

    /// <summary>The member's <see cref="TypeSerializer{T}"/> (typed as object; <see cref="Type"/> is its T). Set by the factory.</summary>
    public object Serializer { get; set; } = null!;

    /// <summary>The closed <c>TypeSerializer&lt;Type&gt;</c> type.</summary>
    public Type SerializerType => typeof(TypeSerializer<>).MakeGenericType(Type);

    /// <summary>Reads the member from <paramref name="instance"/>.</summary>
    public Expression Access(Expression instance) => Member switch
    {
        PropertyInfo p => Expression.Property(instance, p),
        FieldInfo f => Expression.Field(instance, f),
        _ => throw new InvalidOperationException($"Unexpected member kind {Member.MemberType}."),
    };

    /// <summary>The current <see cref="TypeSerializer{T}.IsImmutable"/> of <see cref="Serializer"/> (build time only; uses reflection).</summary>
    public bool IsSerializerImmutable()
    {
        if (Serializer is IObjectSerializer o) return o.IsImmutable;
        PropertyInfo? property;
        lock (s_isImmutableProperties)
        {
            if (!s_isImmutableProperties.TryGetValue(Type, out property))
            {
                property = SerializerType.GetProperty(nameof(TypeSerializer<int>.IsImmutable))!;
                s_isImmutableProperties.AddOrUpdate(Type, property);
            }
        }
        return (bool)property.GetValue(Serializer)!;
    }
}
