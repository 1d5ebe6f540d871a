using StreamShield.Functions;

namespace StreamShield.Operators;

/// <summary>
/// Where an operator emits: the next operator of its chain, a record writer to a channel, or several of them.
/// Records travel with their event timestamp (<see cref="StreamRecord.NoTimestamp"/> when none) as separate
/// arguments, so nothing is allocated per record.
/// </summary>
internal interface IOutput<in T>
{
    void Collect(T value, long timestamp);

    void EmitWatermark(long watermark);

    /// <summary>The producing source became idle (true) or active again (false); idle inputs do not hold back the watermark.</summary>
    void EmitWatermarkStatus(bool idle);

    /// <summary>Emits to a side output; records for tags nobody consumes are dropped.</summary>
    void CollectSide<TSide>(OutputTag<TSide> tag, TSide value, long timestamp);
}

/// <summary>Constants for records.</summary>
internal static class StreamRecord
{
    /// <summary>Timestamp of a record without event time.</summary>
    public const long NoTimestamp = long.MinValue;
}
