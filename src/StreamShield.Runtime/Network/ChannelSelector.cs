using StreamShield.Graph;
using StreamShield.Operators;
using StreamShield.Runtime.State;

namespace StreamShield.Runtime.Network;

/// <summary>Chooses the output channel of a record (Flink's ChannelSelector); -1 means all channels.</summary>
internal abstract class ChannelSelector<T>
{
    public const int All = -1;
    public abstract int Select(T value, int channels);

    public static ChannelSelector<T> Create(PartitionerInfo info, int maxParallelism, string consumerName, int producerSubtask) => info.Kind switch
    {
        PartitionKind.Forward => new ForwardSelector(),
        PartitionKind.Rebalance or PartitionKind.Rescale => new RoundRobinSelector(producerSubtask),
        PartitionKind.Broadcast => new BroadcastSelector(),
        PartitionKind.Hash => info.Key!.Accept(new HashFactory(maxParallelism, consumerName)),
        PartitionKind.Custom => new CustomSelector(info.Custom!, consumerName),
        _ => throw new InvalidOperationException($"Unknown partitioning {info.Kind}."),
    };

    private sealed class ForwardSelector : ChannelSelector<T>
    {
        public override int Select(T value, int channels) => 0;
    }

    private sealed class BroadcastSelector : ChannelSelector<T>
    {
        public override int Select(T value, int channels) => All;
    }

    /// <summary>Round-robin, starting at the producer's own index so that producers do not all hit channel 0 first.</summary>
    private sealed class RoundRobinSelector(int start) : ChannelSelector<T>
    {
        private int _next = -1;
        public override int Select(T value, int channels)
        {
            if (_next < 0) _next = start % channels;
            var c = _next;
            if (++_next >= channels) _next = 0;
            return c;
        }
    }

    private sealed class CustomSelector(Func<object, int, int> partition, string consumer) : ChannelSelector<T>
    {
        public override int Select(T value, int channels)
        {
            var c = partition(value!, channels);
            if ((uint)c >= (uint)channels)
                throw new InvalidOperationException($"The custom partitioner in front of '{consumer}' returned channel {c}, but there are {channels}; return a value in [0, {channels}).");
            return c;
        }
    }

    private sealed class HashFactory(int maxParallelism, string consumer) : IKeyInfoVisitor<ChannelSelector<T>>
    {
        public ChannelSelector<T> Visit<TRecord, TKey>(KeyInfo<TRecord, TKey> key) =>
            (ChannelSelector<T>)(object)new KeyGroupSelector<TKey>((Func<T, TKey>)(object)key.Selector, maxParallelism, consumer);
    }

    private sealed class KeyGroupSelector<TKey>(Func<T, TKey> selector, int maxParallelism, string consumer) : ChannelSelector<T>
    {
        public override int Select(T value, int channels)
        {
            TKey key;
            try { key = selector(value); }
            catch (Exception e) when (OperatorErrors.ShouldWrap(e)) { throw SelectorFailed(e); }
            if (key is null) ThrowNullKey();
            var kg = KeyGroupRangeAssignment.KeyGroupFor(KeyHasher<TKey>.Hash(key), maxParallelism);
            return KeyGroupRangeAssignment.OperatorIndexFor(kg, maxParallelism, channels);
        }

        // Thrown here rather than from the producing operator, so that the error names the keyed operator, not the producer.
        private KeySelectorException SelectorFailed(Exception e) => new(
            $"The key selector of KeyBy in front of '{consumer}' threw {e.GetType().Name}: {e.Message}. Key selectors must not fail: filter out or repair such records before KeyBy.", e);

        private void ThrowNullKey() => throw new KeySelectorException(
            $"The key selector of KeyBy in front of '{consumer}' returned null for a record. Keys must not be null: map nulls to a sentinel key or filter those records out before KeyBy.");
    }
}
