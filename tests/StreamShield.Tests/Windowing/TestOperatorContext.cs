using StreamShield.Operators;
using StreamShield.Serialization;
using StreamShield.State;

namespace StreamShield.Tests.Windowing;

/// <summary>An <see cref="OperatorContext"/> over a <see cref="TestKeyedBackend{TKey}"/>, for operator unit tests.</summary>
internal sealed class TestOperatorContext<TKey>(TestKeyedBackend<TKey> backend, string name = "test-operator") : OperatorContext where TKey : notnull
{
    public override string OperatorName => name;
    public override string OperatorUid => name;
    public override int SubtaskIndex => 0;
    public override int Parallelism => 1;
    public override int MaxParallelism => 128;
    public override int AttemptNumber => 0;
    public override IOperatorStateStore OperatorState => throw new NotSupportedException();
    public override object? KeyedBackend => backend;
    public override long CurrentProcessingTime => backend.ProcessingTime;
    public override TimeProvider Clock => TimeProvider.System;
    public override void RegisterProcessingTimer(long timestamp, Action<long> callback) => throw new NotSupportedException();
    public override long RecordsIn => 0;
    public override IOperatorListState<T> GetListState<T>(string name, TypeSerializer<T> serializer, bool union) => throw new NotSupportedException();
}
