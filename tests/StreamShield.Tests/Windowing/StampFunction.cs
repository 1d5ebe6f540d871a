using StreamShield.Functions;

namespace StreamShield.Tests.Windowing;

/// <summary>A record with the event timestamp it carried on the stream.</summary>
public sealed record Stamped<T>(T Value, long Timestamp);

/// <summary>Pairs each record with its timestamp, so tests can check what timestamps operators emit.</summary>
internal sealed class StampFunction<T> : ProcessFunction<T, Stamped<T>>
{
    public override void ProcessElement(T value, Context context, ICollector<Stamped<T>> output) =>
        output.Collect(new Stamped<T>(value, context.Timestamp ?? long.MinValue));
}
