namespace StreamShield.Runtime.Network;

/// <summary>First byte of each element inside a data buffer.</summary>
internal static class StreamElementTag
{
    public const byte Record = 0;
    public const byte TimestampedRecord = 1;
    public const byte Watermark = 2;
    public const byte Idle = 3;
    public const byte Active = 4;
}
