using StreamShield.Serialization;

namespace StreamShield.Graph;

/// <summary>
/// The key of a keyed stream: its selector and type. Generic dispatch through <see cref="Accept{TResult}"/> lets the
/// runtime create a typed keyed state backend without reflection.
/// </summary>
internal abstract class KeyInfo
{
    public abstract Type KeyType { get; }
    public abstract Type RecordType { get; }
    public abstract TResult Accept<TResult>(IKeyInfoVisitor<TResult> visitor);
    public abstract void Validate();
}

internal interface IKeyInfoVisitor<out TResult>
{
    TResult Visit<T, TKey>(KeyInfo<T, TKey> key);
}

internal sealed class KeyInfo<T, TKey>(Func<T, TKey> selector) : KeyInfo
{
    private TypeSerializer<TKey>? _serializer;

    public Func<T, TKey> Selector { get; } = selector;
    public TypeSerializer<TKey> Serializer => _serializer ??= TypeSerializers.For<TKey>();
    public override Type KeyType => typeof(TKey);
    public override Type RecordType => typeof(T);
    public override TResult Accept<TResult>(IKeyInfoVisitor<TResult> visitor) => visitor.Visit(this);
    public override void Validate() => _ = Serializer;
}
