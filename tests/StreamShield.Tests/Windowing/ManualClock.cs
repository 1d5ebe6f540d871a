namespace StreamShield.Tests.Windowing;

/// <summary>A clock that only moves when told to (shared by every task of a job; thread-safe).</summary>
internal sealed class ManualClock(long startMillis = 1_000_000) : TimeProvider
{
    private long _millis = startMillis;

    public long Millis => Interlocked.Read(ref _millis);

    public void Advance(long millis) => Interlocked.Add(ref _millis, millis);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(Millis);
}
