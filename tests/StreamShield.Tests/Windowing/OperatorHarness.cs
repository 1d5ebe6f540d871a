using StreamShield.Graph;
using StreamShield.Operators;

namespace StreamShield.Tests.Windowing;

/// <summary>
/// Drives the one-input keyed operator that a DataStream API call created (taken from its transformation, so the API
/// wiring is tested too) against a <see cref="TestKeyedBackend{TKey}"/>, without the runtime.
/// </summary>
internal sealed class OperatorHarness<TKey, TIn, TOut> where TKey : notnull
{
    public OperatorHarness(DataStream<TOut> stream)
    {
        var transformation = (OperatorTransformation)stream.Transformation;
        Operator = (OneInputStreamOperator<TIn, TOut>)transformation.OperatorFactory();
        Operator.Setup(new TestOperatorContext<TKey>(Backend, transformation.Name));
        Operator.SetOutput(Output);
        Operator.InitializeState(false);
        Operator.Open();
    }

    public TestKeyedBackend<TKey> Backend { get; } = new();
    public TestOutput<TOut> Output { get; } = new();
    public OneInputStreamOperator<TIn, TOut> Operator { get; }

    public void Element(TIn value, long timestamp) => Operator.ProcessElement(value, timestamp);

    public void Watermark(long watermark) => Operator.ProcessWatermark(watermark);

    public void ProcessingTime(long time) => Backend.AdvanceProcessingTime(time);
}

/// <summary>Drives a two-input keyed operator created by the DataStream API against a <see cref="TestKeyedBackend{TKey}"/>.</summary>
internal sealed class TwoInputOperatorHarness<TKey, TIn1, TIn2, TOut> where TKey : notnull
{
    public TwoInputOperatorHarness(DataStream<TOut> stream)
    {
        var transformation = (OperatorTransformation)stream.Transformation;
        Operator = (TwoInputStreamOperator<TIn1, TIn2, TOut>)transformation.OperatorFactory();
        Operator.Setup(new TestOperatorContext<TKey>(Backend, transformation.Name));
        Operator.SetOutput(Output);
        Operator.InitializeState(false);
        Operator.Open();
    }

    public TestKeyedBackend<TKey> Backend { get; } = new();
    public TestOutput<TOut> Output { get; } = new();
    public TwoInputStreamOperator<TIn1, TIn2, TOut> Operator { get; }

    public void Left(TIn1 value, long timestamp) => Operator.ProcessElement1(value, timestamp);

    public void Right(TIn2 value, long timestamp) => Operator.ProcessElement2(value, timestamp);

    public void Watermark(long watermark)
    {
        Operator.ProcessWatermark1(watermark);
        Operator.ProcessWatermark2(watermark);
    }
}
