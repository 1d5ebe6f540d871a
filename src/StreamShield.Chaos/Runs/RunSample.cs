namespace StreamShield.Chaos.Runs;

/// <summary>What the harness saw of the job at one moment (polled over REST every 100 ms): seconds since the job started, records in, job status.</summary>
public readonly record struct RunSample(double Seconds, long RecordsIn, string Status);

/// <summary>A fault as it was injected: when (seconds since the job started), what, and to whom.</summary>
public sealed record InjectedFault(double Seconds, string Kind, string Target, int? Pid, string Description);
