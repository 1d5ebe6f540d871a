namespace StreamShield.Operators.Join;

/// <summary>
/// A record of either join input, so both inputs of a window join can flow through one union, key-by and window
/// (Flink's CoGroupedStreams.TaggedUnion). Public fields so the serializer handles it; exactly one side is meaningful.
/// </summary>
internal struct TaggedUnion<T1, T2>
{
    /// <summary>True if the record comes from the first input (<see cref="One"/>), false for the second (<see cref="Two"/>).</summary>
    public bool IsOne;
    public T1 One;
    public T2 Two;

    public static TaggedUnion<T1, T2> FromOne(T1 value) => new() { IsOne = true, One = value };

    public static TaggedUnion<T1, T2> FromTwo(T2 value) => new() { IsOne = false, Two = value };
}
