namespace StreamShield.Runtime.Network;

/// <summary>
/// Wakes a subtask's loop when something it may be waiting for happens: input arrived, output credit returned,
/// mail arrived. The loop resets it before checking its conditions and waits only if none holds, so no wake-up is lost.
/// </summary>
internal sealed class TaskSignal
{
    private readonly ManualResetEventSlim _event = new(false, spinCount: 0);

    public void Set() => _event.Set();
    public void Reset() => _event.Reset();
    public void Wait(int timeoutMs) => _event.Wait(timeoutMs);
}
