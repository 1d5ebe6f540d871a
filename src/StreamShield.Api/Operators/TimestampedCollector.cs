using StreamShield.Functions;

namespace StreamShield.Operators;

/// <summary>Hands a function's emitted records to an output, stamping them with the input record's timestamp.</summary>
internal sealed class TimestampedCollector<T>(IOutput<T> output) : ICollector<T>
{
    public long Timestamp;

    public void Collect(T record) => output.Collect(record, Timestamp);
}
