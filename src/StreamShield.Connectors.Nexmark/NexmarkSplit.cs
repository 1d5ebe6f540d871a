namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// A share of a Nexmark stream's event numbers: <see cref="NextEventNumber"/>, then every <see cref="Stride"/>-th
/// number after it, below <see cref="EndEventNumber"/>. The position is the next event number, so a split restored
/// from a checkpoint regenerates exactly the events not yet emitted. The source's splits own disjoint residues
/// modulo the stride, so together they cover every event number once.
/// </summary>
/// <param name="NextEventNumber">The next event number to generate.</param>
/// <param name="Stride">Distance between this split's event numbers: the parallelism the job started with.</param>
/// <param name="EndEventNumber">One past the last event number of the stream.</param>
/// <param name="WallclockBaseTime">
/// For a rate-limited source: the wall-clock time (epoch ms) from which due times count, set when the split is
/// first read and kept across restores (so a restored source catches up, as the reference's split does); null
/// until then.
/// </param>
public readonly record struct NexmarkSplit(long NextEventNumber, long Stride, long EndEventNumber, long? WallclockBaseTime)
{
    /// <summary>True when no event number is left.</summary>
    public bool IsFinished => NextEventNumber >= EndEventNumber;
}
