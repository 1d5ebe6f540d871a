using StreamShield.Serialization;

namespace StreamShield.Graph;

/// <summary>
/// The record type of a stream, with a lazily resolved serializer. Generic dispatch through
/// <see cref="Accept{TResult}"/> lets the runtime build typed channels without reflection.
/// </summary>
internal abstract class StreamType
{
    public abstract Type Type { get; }
    public abstract TResult Accept<TResult>(IStreamTypeVisitor<TResult> visitor);

    /// <summary>Resolves the serializer, so an unsupported type fails at job build.</summary>
    public abstract void Validate();
}

internal interface IStreamTypeVisitor<out TResult>
{
    TResult Visit<T>(StreamType<T> type);
}

internal sealed class StreamType<T> : StreamType
{
    public static readonly StreamType<T> Instance = new();
    private TypeSerializer<T>? _serializer;

    public override Type Type => typeof(T);
    public TypeSerializer<T> Serializer => _serializer ??= TypeSerializers.For<T>();
    public override TResult Accept<TResult>(IStreamTypeVisitor<TResult> visitor) => visitor.Visit(this);
    public override void Validate() => _ = Serializer;
}
