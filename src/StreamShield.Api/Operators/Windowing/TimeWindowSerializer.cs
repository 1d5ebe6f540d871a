using StreamShield.Serialization;
using StreamShield.Windowing;

namespace StreamShield.Operators.Windowing;

/// <summary>Serializes a <see cref="TimeWindow"/> as two little-endian int64 (start, end): the namespace of window state and timers.</summary>
internal sealed class TimeWindowSerializer : TypeSerializer<TimeWindow>
{
    public static readonly TimeWindowSerializer Instance = new();

    public override void Serialize(TimeWindow value, DataOutput output)
    {
        output.WriteInt64(value.Start);
        output.WriteInt64(value.End);
    }

    public override TimeWindow Deserialize(DataInput input)
    {
        var start = input.ReadInt64();
        return new TimeWindow(start, input.ReadInt64());
    }

    public override TimeWindow Copy(TimeWindow value) => value;

    public override bool IsImmutable => true;
}
