using StreamShield.Functions;
using StreamShield.Operators;

namespace StreamShield.Tests.Windowing;

/// <summary>Records what an operator emits: records with timestamps, watermarks and side outputs.</summary>
internal sealed class TestOutput<T> : IOutput<T>
{
    public List<(T Value, long Timestamp)> Records { get; } = new();
    public List<long> Watermarks { get; } = new();
    public List<(string Tag, object? Value, long Timestamp)> SideOutputs { get; } = new();

    public void Collect(T value, long timestamp) => Records.Add((value, timestamp));
    public void EmitWatermark(long watermark) => Watermarks.Add(watermark);
    public void EmitWatermarkStatus(bool idle) { }
    public void CollectSide<TSide>(OutputTag<TSide> tag, TSide value, long timestamp) => SideOutputs.Add((tag.Id, value, timestamp));

    public List<T> Values => Records.Select(r => r.Value).ToList();

    public void Clear()
    {
        Records.Clear();
        SideOutputs.Clear();
    }
}
