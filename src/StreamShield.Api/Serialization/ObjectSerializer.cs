using System.Linq.Expressions;
using System.Reflection;

namespace StreamShield.Serialization;

/// <summary>
/// Serializer for user classes, records and structs (and Tuple, ValueTuple, KeyValuePair), driven by an <see cref="ObjectLayout"/>
/// and compiled to delegates with <see cref="System.Linq.Expressions"/>: no reflection per record.
/// </summary>
/// <remarks>
/// Wire format: reference types start with a presence byte (0 = null, 1 = value); structs have none. Then the serialized members
/// follow in layout order, each in its own serializer's format. Scalar members are written by direct static calls, other
/// members through their <see cref="TypeSerializer{T}"/>. Values are serialized as their declared type (no polymorphism) and
/// object graphs must be trees: shared references are duplicated and cycles are not supported.
/// </remarks>
/// <typeparam name="T">The serialized type.</typeparam>
internal sealed class ObjectSerializer<T> : TypeSerializer<T>, IObjectSerializer, IBuiltInSerializer
{
    private ObjectLayout _layout = null!;
    private Action<T, DataOutput> _write = null!;
    private Func<DataInput, T> _read = null!;
    private Func<T, T>? _copy;
    private bool _immutable;
    private bool _alwaysWritesBytes = !typeof(T).IsValueType;

    public override void Serialize(T value, DataOutput output)
    {
        if (!typeof(T).IsValueType)
        {
            if (value is null)
            {
                output.WriteByte(0);
                return;
            }
            output.WriteByte(1);
        }
        _write(value, output);
    }

    public override T Deserialize(DataInput input)
    {
        if (!typeof(T).IsValueType)
        {
            var presence = input.ReadByte();
            if (presence == 0) return default!;
            if (presence != 1) throw new CorruptDataException($"Invalid presence byte {presence} for {typeof(T).Name}.");
        }
        return _read(input);
    }

    public override T Copy(T value)
    {
        if (_immutable || value is null) return value;
        return _copy!(value);
    }

    public override bool IsImmutable => _immutable;

    bool IObjectSerializer.IsImmutable => _immutable;

    bool IObjectSerializer.AlwaysWritesBytes => _alwaysWritesBytes;

    void IObjectSerializer.Initialize(ObjectLayout layout)
    {
        _layout = layout;
        _immutable = layout.StructurallyImmutable;
        _alwaysWritesBytes |= layout.Members.Any(m => CollectionFormat.MinElementSize(m.Serializer) > 0);
    }

    bool IObjectSerializer.RefineImmutability()
    {
        if (!_immutable) return false;
        foreach (var member in _layout.Members)
        {
            if (!member.IsSerializerImmutable())
            {
                _immutable = false;
                return true;
            }
        }
        return false;
    }

    void IObjectSerializer.Compile()
    {
        _write = CompileWrite();
        _read = CompileRead();
        _copy = _immutable ? null : CompileCopy();
    }

    private Action<T, DataOutput> CompileWrite()
    {
        var value = Expression.Parameter(typeof(T), "value");
        var output = Expression.Parameter(typeof(DataOutput), "output");
        var body = new List<Expression>();
        foreach (var member in _layout.Members)
        {
            var access = member.Access(value);
            body.Add(member.Serializer is IInlineSerializer inline
                ? inline.EmitWrite(access, output)
                : Expression.Call(Expression.Constant(member.Serializer, member.SerializerType), Method(member, nameof(Serialize)), access, output));
        }
        body.Add(Expression.Empty());
        return Expression.Lambda<Action<T, DataOutput>>(Expression.Block(body), $"Serialize_{typeof(T).Name}", [value, output]).Compile();
    }

    private Func<DataInput, T> CompileRead()
    {
        var input = Expression.Parameter(typeof(DataInput), "input");
        var locals = _layout.Members.Select(m => Expression.Variable(m.Type, m.Name)).ToArray();
        var body = new List<Expression>();
        for (var i = 0; i < locals.Length; i++)
        {
            var member = _layout.Members[i];
            body.Add(Expression.Assign(locals[i], member.Serializer is IInlineSerializer inline
                ? inline.EmitRead(input)
                : Expression.Call(Expression.Constant(member.Serializer, member.SerializerType), Method(member, nameof(Deserialize)), input)));
        }
        body.Add(Construct(locals));
        return Expression.Lambda<Func<DataInput, T>>(Expression.Block(typeof(T), locals, body), $"Deserialize_{typeof(T).Name}", [input]).Compile();
    }

    private Func<T, T> CompileCopy()
    {
        var source = Expression.Parameter(typeof(T), "source");
        var values = new Expression[_layout.Members.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var member = _layout.Members[i];
            var access = member.Access(source);
            values[i] = member.IsSerializerImmutable()
                ? access
                : Expression.Call(Expression.Constant(member.Serializer, member.SerializerType), Method(member, nameof(Copy)), access);
        }
        return Expression.Lambda<Func<T, T>>(Construct(values), $"Copy_{typeof(T).Name}", [source]).Compile();
    }

    /// <summary>Builds a new value from member values given in layout order: constructor first, then the remaining setters.</summary>
    private Expression Construct(IReadOnlyList<Expression> values)
    {
        NewExpression create;
        if (_layout.Constructor is { } constructor)
        {
            var arguments = new Expression[constructor.GetParameters().Length];
            for (var i = 0; i < values.Count; i++)
            {
                var index = _layout.Members[i].ParameterIndex;
                if (index >= 0) arguments[index] = values[i];
            }
            create = Expression.New(constructor, arguments);
        }
        else
        {
            create = Expression.New(typeof(T));
        }

        var assignments = new List<Expression>();
        var instance = Expression.Variable(typeof(T), "instance");
        for (var i = 0; i < values.Count; i++)
        {
            var member = _layout.Members[i];
            if (member.ParameterIndex < 0) assignments.Add(Expression.Assign(member.Access(instance), values[i]));
        }
        if (assignments.Count == 0) return create;

        assignments.Insert(0, Expression.Assign(instance, create));
        assignments.Add(instance);
        return Expression.Block(typeof(T), [instance], assignments);
    }

    private static MethodInfo Method(ObjectMember member, string name) =>
        member.SerializerType.GetMethod(name, BindingFlags.Public | BindingFlags.Instance)!;
}
