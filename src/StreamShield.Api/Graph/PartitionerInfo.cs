namespace StreamShield.Graph;

/// <summary>How records move from a producer's subtasks to a consumer's.</summary>
internal enum PartitionKind
{
    /// <summary>Subtask i to subtask i (same parallelism); lets operators chain.</summary>
    Forward,
    /// <summary>Round-robin over all consumers.</summary>
    Rebalance,
    /// <summary>Round-robin over a local subset of consumers.</summary>
    Rescale,
    /// <summary>Every record to every consumer.</summary>
    Broadcast,
    /// <summary>By key group of the record's key.</summary>
    Hash,
    /// <summary>A user function picks the consumer.</summary>
    Custom,
}

/// <summary>A partitioning choice; keyed kinds carry the key.</summary>
internal sealed record PartitionerInfo(PartitionKind Kind, KeyInfo? Key = null, Func<object, int, int>? Custom = null);
