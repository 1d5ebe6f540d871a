using System.Collections.Concurrent;

namespace StreamShield.Serialization;

/// <summary>
/// Creates, caches and registers <see cref="TypeSerializer{T}"/> instances. Serializers are built once per type (thread-safe)
/// and are themselves stateless, so one instance serves every thread.
/// </summary>
/// <remarks>
/// <para><b>Supported types.</b> bool, byte, sbyte, short, ushort, int, uint, long, ulong, float, double, decimal, char, string,
/// DateTime, DateTimeOffset, TimeSpan, DateOnly, TimeOnly, Guid, Half, Int128, UInt128, enums, <see cref="Nullable{T}"/>,
/// single-dimensional arrays, <see cref="List{T}"/>, <see cref="Dictionary{TKey, TValue}"/>, <see cref="HashSet{T}"/>,
/// ValueTuple and Tuple (any arity), <see cref="KeyValuePair{TKey, TValue}"/>, and user classes, records and structs whose
/// public properties and fields are themselves supported and that either (a) have a public constructor whose parameters match
/// public members by name (case-insensitive) and type, as positional records and immutable classes do, or (b) have a public
/// parameterless constructor and public settable properties or fields (both may be combined: members not covered by the
/// constructor are assigned afterwards). Get-only properties without a backing field and not bound to a constructor
/// parameter are treated as computed and skipped. Recursive types (a node holding a list of nodes) are supported; cyclic
/// object graphs are not. Values are serialized as their declared type: interfaces, abstract classes and <see cref="object"/>
/// are rejected rather than handled polymorphically; register a custom serializer for them.</para>
/// <para><b>Unsupported types</b> (object, interfaces, abstract classes, delegates, pointers, IntPtr/UIntPtr, ref structs, open
/// generics, multi-dimensional arrays, other framework types, custom collections, and types without usable public members or
/// constructor) make <see cref="For{T}"/>, <see cref="For(Type)"/> and <see cref="Validate"/> throw
/// <see cref="UnsupportedTypeException"/>, naming the member path that failed. This happens when the serializer is created,
/// never while records flow.</para>
/// <para><b>Wire format</b> (little-endian, no type tags or field names; both sides must use the same type definition):
/// scalars are fixed width (see <c>PrimitiveSerializers</c>): 1 byte for bool/byte/sbyte, 2 for short/ushort/char, 4 for int/uint/float,
/// 8 for long/ulong/double/TimeSpan/DateTime (ticks with the kind in the top 2 bits), 10 for DateTimeOffset (ticks + int16
/// offset minutes), 16 for decimal/Guid; enums use their underlying integer. Strings are an int32 UTF-8 byte length (-1 = null)
/// followed by the bytes. Arrays, lists, sets and dictionaries start with an unsigned varint (7 bits per byte) holding
/// <c>count + 1</c>, where 0 means null, followed by the elements (key then value for dictionaries); arrays and lists of
/// fixed-width numbers are block-copied. Nullable values and reference-type objects start with a presence byte (0 = null,
/// 1 = value); user types then write their members in declaration order (base class first); structs have no presence byte.</para>
/// <para><b>Immutability and copies.</b> <see cref="TypeSerializer{T}.IsImmutable"/> is true for scalars, strings, enums, and for
/// user types and tuples that cannot change after construction (no public setters other than <c>init</c>, no writable fields;
/// structs count as immutable by value semantics) and contain only immutable members. Arrays and collections are mutable.
/// <see cref="TypeSerializer{T}.Copy"/> returns immutable values as they are and deep-copies everything else directly
/// (no serialization round trip).</para>
/// </remarks>
public static class TypeSerializers
{
    // Weak keys: a job's types live in its collectible load context on a cluster worker, and a strong cache here
    // would keep every finished job's code in memory.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Type, object> s_cache = new();
    private static readonly Lock s_buildLock = new();

    /// <summary>Returns the serializer for <typeparamref name="T"/>, building and caching it on first use.</summary>
    /// <exception cref="UnsupportedTypeException"><typeparamref name="T"/> or a type it contains cannot be serialized.</exception>
    public static TypeSerializer<T> For<T>() => Holder<T>.Instance ?? Holder<T>.Initialize();

    /// <summary>Returns the serializer for <paramref name="type"/> as an object (a <c>TypeSerializer&lt;type&gt;</c>),
    /// building and caching it on first use. Same instance as <see cref="For{T}"/>.</summary>
    /// <exception cref="UnsupportedTypeException"><paramref name="type"/> or a type it contains cannot be serialized.</exception>
    public static object For(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return GetOrCreate(type);
    }

    /// <summary>
    /// Checks that <paramref name="type"/> can be serialized, throwing <see cref="UnsupportedTypeException"/> (with the failing
    /// member path) if not. Returns at once when a serializer is already cached; otherwise builds and caches it.
    /// </summary>
    public static void Validate(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (s_cache.TryGetValue(type, out _)) return;
        GetOrCreate(type);
    }

    /// <summary>
    /// Registers a custom serializer for <typeparamref name="T"/>. It is used for <typeparamref name="T"/> itself and wherever
    /// <typeparamref name="T"/> appears inside other types (members, collection elements), and makes otherwise unsupported
    /// types (interfaces, abstract classes, framework types) usable. Register at startup, before any serializer that involves
    /// <typeparamref name="T"/> is created; registering the same instance again is a no-op.
    /// </summary>
    /// <exception cref="InvalidOperationException">A different serializer for <typeparamref name="T"/> was already created or registered.</exception>
    public static void Register<T>(TypeSerializer<T> serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        lock (s_buildLock)
        {
            if (s_cache.TryGetValue(typeof(T), out var existing))
            {
                if (ReferenceEquals(existing, serializer)) return;
                throw new InvalidOperationException(
                    $"A serializer for '{TypeNames.Full(typeof(T))}' has already been {(existing is IBuiltInSerializer ? "created" : "registered")} and may be in use. " +
                    "Register custom serializers at startup, before TypeSerializers.For is called for that type or any type containing it.");
            }
            s_cache.AddOrUpdate(typeof(T), serializer);
        }
    }

    private static object GetOrCreate(Type type)
    {
        if (s_cache.TryGetValue(type, out var cached)) return cached;
        lock (s_buildLock)
        {
            if (s_cache.TryGetValue(type, out cached)) return cached;
            var factory = new SerializerFactory(type, t => s_cache.TryGetValue(t, out var c) ? c : null);
            var result = factory.Build();
            foreach (var (createdType, serializer) in factory.Created) s_cache.TryAdd(createdType, serializer);
            return result;
        }
    }

    private static class Holder<T>
    {
        public static volatile TypeSerializer<T>? Instance;

        public static TypeSerializer<T> Initialize() => Instance = (TypeSerializer<T>)GetOrCreate(typeof(T));
    }
}
