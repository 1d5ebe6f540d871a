using StreamShield.Cluster.Control;
using StreamShield.Cluster.Model;
using StreamShield.Cluster.Transport;

namespace StreamShield.Cluster.Coordinator;

/// <summary>
/// A registered worker as the coordinator sees it: its control connection, its slots, and when it was last heard
/// from. It is alive until its connection drops (a killed process: noticed at once) or its heartbeats stop for
/// longer than the timeout (a hung or cut-off process).
/// </summary>
internal sealed class WorkerSession(string id, FrameConnection connection, RegisterMessage registration)
{
    private int _usedSlots;
    private volatile bool _alive = true;

    public string Id { get; } = id;
    public FrameConnection Connection { get; } = connection;
    public int Pid { get; } = registration.Pid;
    public string Host { get; } = registration.Host;
    public int DataPort { get; } = registration.DataPort;
    public int Slots { get; } = registration.Slots;
    public string Version { get; } = registration.EngineVersion;
    public DateTimeOffset RegisteredAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>This registration's data key (hex): workers deployed next to this one prove they know it when they dial it.</summary>
    public string DataKey { get; init; } = "";
    public long LastHeartbeatTicks { get; set; } = Environment.TickCount64;
    public long MemoryBytes { get; set; }
    public int JobCodeContexts { get; set; }
    public bool IsAlive => _alive;
    public int FreeSlots => Slots - Volatile.Read(ref _usedSlots);

    public void UseSlots(int n) => Interlocked.Add(ref _usedSlots, n);
    public void FreeSlotsUsed(int n) => Interlocked.Add(ref _usedSlots, -n);

    /// <summary>Marks the worker dead and closes its connection (idempotent); true the first time.</summary>
    public bool MarkDead()
    {
        if (!_alive) return false;
        _alive = false;
        Connection.Close();
        return true;
    }

    public void Send(ControlType type, byte[] payload)
    {
        if (_alive) Connection.Send((byte)type, payload);
    }

    public WorkerInfo Info() => new(Id, Pid, Host, DataPort, Slots, FreeSlots, Environment.TickCount64 - LastHeartbeatTicks, Version, MemoryBytes, RegisteredAt, JobCodeContexts);
}
