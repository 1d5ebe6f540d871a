using System.Collections;

namespace StreamShield.Serialization;

/// <summary>
/// One build of a serializer graph for a root type. Creates the serializers for the root and everything it reaches that is not
/// yet cached, tracking the member path for error messages. User types get a placeholder <see cref="ObjectSerializer{T}"/>
/// before their members are resolved, so recursive types terminate; once the whole graph is resolved the immutability of
/// user types is settled by a fixed point (a type is immutable unless it or something it reaches is mutable) and their
/// delegates are compiled. Nothing is published on failure. Not thread-safe: <see cref="TypeSerializers"/> serializes builds.
/// </summary>
internal sealed class SerializerFactory(Type root, Func<Type, object?> lookup)
{
    private static readonly HashSet<Type> s_blockCopyElements =
    [
        typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(char),
        typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double),
    ];

    private static readonly HashSet<Type> s_tupleLike =
    [
        typeof(Tuple<>), typeof(Tuple<,>), typeof(Tuple<,,>), typeof(Tuple<,,,>), typeof(Tuple<,,,,>), typeof(Tuple<,,,,,>),
        typeof(Tuple<,,,,,,>), typeof(Tuple<,,,,,,,>),
        typeof(ValueTuple<>), typeof(ValueTuple<,>), typeof(ValueTuple<,,>), typeof(ValueTuple<,,,>), typeof(ValueTuple<,,,,>),
        typeof(ValueTuple<,,,,,>), typeof(ValueTuple<,,,,,,>), typeof(ValueTuple<,,,,,,,>),
        typeof(KeyValuePair<,>),
    ];

    private readonly Dictionary<Type, object> _created = [];
    private readonly List<IObjectSerializer> _objects = [];
    private readonly List<string> _path = [];

    /// <summary>Serializers created by this build (valid after <see cref="Build"/> returns).</summary>
    public IReadOnlyDictionary<Type, object> Created => _created;

    /// <summary>Builds the serializer for the root type. Throws <see cref="UnsupportedTypeException"/> if it or anything it reaches is unsupported.</summary>
    public object Build()
    {
        var result = Resolve(root);
        bool changed;
        do
        {
            changed = false;
            foreach (var serializer in _objects) changed |= serializer.RefineImmutability();
        }
        while (changed);
        foreach (var serializer in _objects) serializer.Compile();
        return result;
    }

    private object Resolve(Type type)
    {
        if (lookup(type) is { } cached) return cached;
        if (_created.TryGetValue(type, out var existing)) return existing;
        var created = Create(type);
        _created[type] = created;
        return created;
    }

    private object ResolveAt(string segment, Type type)
    {
        _path.Add(segment);
        var result = Resolve(type);
        _path.RemoveAt(_path.Count - 1);
        return result;
    }

    private object Create(Type type)
    {
        if (type.IsByRef) throw Fail(type, "by-reference types cannot be serialized");
        if (type.IsPointer || type.IsFunctionPointer || type.IsUnmanagedFunctionPointer || type == typeof(IntPtr) || type == typeof(UIntPtr))
            throw Fail(type, "pointers and native handles (IntPtr/UIntPtr) are meaningless outside the process that created them");
        if (type.ContainsGenericParameters)
            throw Fail(type, "it is an open generic type; close all its type parameters (e.g. List<int> instead of List<T>)");
        if (type.IsByRefLike)
            throw Fail(type, "it is a ref struct (Span-like type), which cannot be stored; copy the data into an array or a regular struct");
        if (type == typeof(void)) throw Fail(type, "void has no values");
        if (type == typeof(object))
            throw Fail(type, "System.Object has no fixed shape and polymorphism is not supported; declare a concrete type");
        if (typeof(Delegate).IsAssignableFrom(type)) throw Fail(type, "delegates (code) cannot be serialized");

        if (PrimitiveSerializers.Find(type) is { } primitive) return primitive;
        if (type.IsEnum) return Instantiate(typeof(EnumSerializer<>), [type]);
        if (Nullable.GetUnderlyingType(type) is { } underlying)
            return Instantiate(typeof(NullableSerializer<>), [underlying], Resolve(underlying));

        if (type.IsArray)
        {
            if (!type.IsSZArray)
                throw Fail(type, "multi-dimensional arrays are not supported; use a jagged array (T[][]) or a flat T[]");
            var element = type.GetElementType()!;
            var elementSerializer = ResolveAt("[]", element);
            return IsBlockCopyable(element, elementSerializer)
                ? Instantiate(typeof(PrimitiveArraySerializer<>), [element])
                : Instantiate(typeof(ArraySerializer<>), [element], elementSerializer);
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var arguments = type.GetGenericArguments();
            if (definition == typeof(List<>))
            {
                var elementSerializer = ResolveAt("[]", arguments[0]);
                return IsBlockCopyable(arguments[0], elementSerializer)
                    ? Instantiate(typeof(PrimitiveListSerializer<>), arguments)
                    : Instantiate(typeof(ListSerializer<>), arguments, elementSerializer);
            }
            if (definition == typeof(HashSet<>))
                return Instantiate(typeof(HashSetSerializer<>), arguments, ResolveAt("[]", arguments[0]));
            if (definition == typeof(Dictionary<,>))
            {
                var keySerializer = ResolveAt("[key]", arguments[0]);
                var valueSerializer = ResolveAt("[value]", arguments[1]);
                return Instantiate(typeof(DictionarySerializer<,>), arguments, keySerializer, valueSerializer);
            }
        }

        if (type.IsInterface)
        {
            throw Fail(type, typeof(IEnumerable).IsAssignableFrom(type)
                ? "it is an interface and polymorphism is not supported; declare the member as T[], List<T>, Dictionary<TKey, TValue> or HashSet<T>"
                : "it is an interface and polymorphism is not supported; declare a concrete class, record or struct");
        }
        if (type.IsAbstract)
            throw Fail(type, "it is an abstract class and polymorphism is not supported; declare a concrete (non-abstract) type");

        if (type.IsGenericType && s_tupleLike.Contains(type.GetGenericTypeDefinition())) return CreateObject(type);

        if (IsFrameworkType(type))
        {
            throw Fail(type, typeof(IEnumerable).IsAssignableFrom(type)
                ? "only the collections T[], List<T>, Dictionary<TKey, TValue> and HashSet<T> are supported"
                : "it is a framework type without a built-in serializer");
        }
        if (typeof(IEnumerable).IsAssignableFrom(type))
        {
            throw Fail(type, "custom collection types are not supported (their items are not public properties or fields); " +
                             "expose the items as a T[], List<T>, Dictionary<TKey, TValue> or HashSet<T> member instead");
        }
        for (var baseType = type.BaseType; baseType is not null && baseType != typeof(object) && baseType != typeof(ValueType); baseType = baseType.BaseType)
        {
            if (IsFrameworkType(baseType))
                throw Fail(type, $"it derives from the framework type {TypeNames.Full(baseType)}, whose state is not exposed as public properties or fields");
        }

        return CreateObject(type);
    }

    private object CreateObject(Type type)
    {
        var serializer = (IObjectSerializer)Activator.CreateInstance(typeof(ObjectSerializer<>).MakeGenericType(type))!;
        _created[type] = serializer; // placeholder: recursive references resolve to it
        var layout = ObjectLayout.Analyze(type, out var failure) ?? throw Fail(type, failure!);
        foreach (var member in layout.Members) member.Serializer = ResolveAt("." + member.Name, member.Type);
        serializer.Initialize(layout);
        _objects.Add(serializer);
        return serializer;
    }

    private static bool IsBlockCopyable(Type element, object elementSerializer) =>
        BitConverter.IsLittleEndian && s_blockCopyElements.Contains(element) && ReferenceEquals(elementSerializer, PrimitiveSerializers.Find(element));

    private static bool IsFrameworkType(Type type) =>
        type.Namespace is { } ns && (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal));

    private static object Instantiate(Type definition, Type[] arguments, params object[] constructorArguments) =>
        Activator.CreateInstance(definition.MakeGenericType(arguments), constructorArguments)!;

    private UnsupportedTypeException Fail(Type type, string reason) =>
        new(root, type, TypeNames.Short(root) + string.Concat(_path), reason);
}
