using StreamShield.Functions;
using StreamShield.Operators;

namespace StreamShield.Runtime.Tasks;

/// <summary>
/// An operator's output when it feeds several targets (chained operators, record writers) or has side outputs.
/// A single target without side outputs is used directly instead, so the common path has no extra hop.
/// </summary>
internal sealed class RoutingOutput<T>(IOutput<T>[] targets, Dictionary<string, List<object>> sideOutputs) : IOutput<T>
{
    public void Collect(T value, long timestamp)
    {
        foreach (var t in targets) t.Collect(value, timestamp);
    }

    public void EmitWatermark(long watermark)
    {
        foreach (var t in targets) t.EmitWatermark(watermark);
        foreach (var side in sideOutputs.Values) foreach (var s in side) ((IWatermarkTarget)s).EmitWatermark(watermark);
    }

    public void EmitWatermarkStatus(bool idle)
    {
        foreach (var t in targets) t.EmitWatermarkStatus(idle);
        foreach (var side in sideOutputs.Values) foreach (var s in side) ((IWatermarkTarget)s).EmitWatermarkStatus(idle);
    }

    public void CollectSide<TSide>(OutputTag<TSide> tag, TSide value, long timestamp)
    {
        if (!sideOutputs.TryGetValue(tag.Id, out var outputs)) return;
        foreach (var o in outputs)
        {
            if (o is not IOutput<TSide> output) throw SideOutputTypeMismatch(tag, o);
            output.Collect(value, timestamp);
        }
    }

    private static InvalidOperationException SideOutputTypeMismatch<TSide>(OutputTag<TSide> tag, object consumer) => new(
        $"Side output '{tag.Id}' is emitted with records of type {typeof(TSide).FullName}, but GetSideOutput reads it as " +
        $"{consumer.GetType().GetGenericArguments().FirstOrDefault()?.FullName}: two OutputTags of different types share the id '{tag.Id}'. Give each its own id.");
}

/// <summary>Lets side-output targets of any type receive watermarks and idleness.</summary>
internal interface IWatermarkTarget
{
    void EmitWatermark(long watermark);
    void EmitWatermarkStatus(bool idle);
}

/// <summary>An output nobody consumes (a sink's): drops everything.</summary>
internal sealed class NullOutput<T> : IOutput<T>
{
    public static readonly NullOutput<T> Instance = new();
    public void Collect(T value, long timestamp) { }
    public void EmitWatermark(long watermark) { }
    public void EmitWatermarkStatus(bool idle) { }
    public void CollectSide<TSide>(OutputTag<TSide> tag, TSide value, long timestamp) { }
}
