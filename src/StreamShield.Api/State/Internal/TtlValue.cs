namespace StreamShield.State.Internal;

/// <summary>A state value with the processing time it was last written (or read), for TTL.</summary>
internal struct TtlValue<T>
{
    public T Value;
    public long LastAccess;

    public TtlValue(T value, long lastAccess)
    {
        Value = value;
        LastAccess = lastAccess;
    }
}
