namespace StreamShield.State;

/// <summary>
/// Time-to-live of keyed state entries, measured in processing time. Expired entries are never returned
/// and are dropped when accessed and when a snapshot is written.
/// </summary>
public sealed record StateTtlConfig(TimeSpan TimeToLive, bool RefreshOnRead = false)
{
    /// <summary>TTL in milliseconds.</summary>
    internal long TtlMillis => (long)TimeToLive.TotalMilliseconds;
}
