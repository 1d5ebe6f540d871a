namespace StreamShield.Cluster.DataPlane;

/// <summary>A remote output channel as the REST view shows it: its backlog is the backpressure indicator.</summary>
internal sealed record DataPlaneOutputMetrics(
    string AttemptId, int ChannelIndex, string Name, string ConsumerWorkerId, int Credits, int Backlog, long BuffersSent, long BytesSent);

/// <summary>The data connection to one peer worker.</summary>
internal sealed record DataPlanePeerMetrics(
    string WorkerId, bool Connected, bool Dialer, long BytesSent, long BytesReceived, int QueuedFrames);
