namespace StreamShield.Serialization;

/// <summary>
/// Non-generic view of <see cref="ObjectSerializer{T}"/> used by <see cref="SerializerFactory"/>: a serializer is created as an
/// empty placeholder (so recursive types can refer to it), initialized once its members are resolved, and compiled after
/// the immutability of the whole (possibly cyclic) type graph is known.
/// </summary>
internal interface IObjectSerializer
{
    /// <summary>The current immutability verdict (optimistic until the factory's fixed point completes).</summary>
    bool IsImmutable { get; }

    /// <summary>
    /// True when every value is encoded in at least one byte: always for classes (presence byte); for structs once initialized,
    /// if some member guarantees a byte. False for a struct placeholder that is not initialized yet (the safe answer).
    /// </summary>
    bool AlwaysWritesBytes { get; }

    /// <summary>Sets the member plan; immutability starts at the layout's structural verdict.</summary>
    void Initialize(ObjectLayout layout);

    /// <summary>Marks the type mutable if any member serializer is mutable. Returns true when the verdict changed.</summary>
    bool RefineImmutability();

    /// <summary>Compiles the serialize, deserialize and copy delegates.</summary>
    void Compile();
}
