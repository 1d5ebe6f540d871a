namespace StreamShield.Cluster.DataPlane;

/// <summary>
/// Identifies one remote channel on the data plane: the consumer attempt's input channel it feeds. Producer and
/// consumer must build the same key for the same channel. Equality is on <see cref="AttemptId"/> and
/// <see cref="ChannelIndex"/> only; <see cref="Name"/> is for log messages and metrics (frames do not carry it).
/// </summary>
/// <remarks>
/// Attempt ids must be unique per deployment (e.g. include the restart number): a released attempt id stays
/// released, so that a late buffer of a cancelled attempt can never reach the next one.
/// </remarks>
internal readonly record struct ChannelKey(string AttemptId, int ChannelIndex, string Name)
{
    public bool Equals(ChannelKey other) =>
        ChannelIndex == other.ChannelIndex && string.Equals(AttemptId, other.AttemptId, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(AttemptId, ChannelIndex);

    public override string ToString() => $"{Name} ({AttemptId}#{ChannelIndex})";
}
