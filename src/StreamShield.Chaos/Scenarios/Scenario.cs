namespace StreamShield.Chaos.Scenarios;

/// <summary>
/// A chaos scenario as its YAML file states it: the workload, the cluster it runs on, the faults and when they come,
/// and the SLO the run is judged against. Every random choice (which worker dies) comes from <see cref="Seed"/>, so a
/// run can be repeated.
/// </summary>
public sealed class Scenario
{
    /// <summary>Short name (the file name without extension if absent).</summary>
    public string Name { get; set; } = "";
    /// <summary>What the scenario shows, for the report.</summary>
    public string Description { get; set; } = "";
    /// <summary>Seed of every random choice; <c>--seed</c> overrides it.</summary>
    public int Seed { get; set; } = 1;
    public WorkloadSpec Workload { get; set; } = new();
    public ClusterSpec Cluster { get; set; } = new();
    public List<FaultSpec> Faults { get; set; } = [];
    public SloSpec Slo { get; set; } = new();
    /// <summary>Seconds the whole run may take after the job started; then it is judged as it stands.</summary>
    public double DeadlineSeconds { get; set; } = 120;
}

/// <summary>The job under test.</summary>
public sealed class WorkloadSpec
{
    /// <summary>
    /// <c>windowed-counts</c>: per-user counts in one-second windows into a transactional file sink, checked exactly.
    /// <c>nexmark</c>: a Nexmark query (<see cref="Query"/>) paced by wall-clock due times, its rows discarded but their
    /// end-to-end latency recorded, so recovery is judged on p99 latency as well as throughput (no output to check).
    /// </summary>
    public string Kind { get; set; } = "windowed-counts";
    /// <summary>The Nexmark query of a <c>nexmark</c> workload (q0..q22).</summary>
    public string Query { get; set; } = "q1";
    public long Events { get; set; } = 3_000_000;
    /// <summary>Source rate across the job, events/s (paced, so the run lasts Events / Rate seconds).</summary>
    public double Rate { get; set; } = 150_000;
    public int Users { get; set; } = 500;
    public int Parallelism { get; set; } = 2;
    /// <summary>Checkpoint interval, e.g. <c>1s</c> or <c>500ms</c>.</summary>
    public string CheckpointInterval { get; set; } = "1s";
    /// <summary>Job configuration entries (the <c>-D</c> keys), e.g. <c>failover.strategy: region</c>.</summary>
    public Dictionary<string, string> Configuration { get; set; } = [];
}

/// <summary>The local cluster the workload runs on.</summary>
public sealed class ClusterSpec
{
    public int Workers { get; set; } = 3;
    public int Slots { get; set; } = 2;
}

/// <summary>
/// One fault. <c>kill</c>: kill -9 of a worker. <c>hang</c>: SIGSTOP of a worker for <see cref="Duration"/>, then
/// SIGCONT. <c>burst</c>: <see cref="Count"/> kills spread over <see cref="Within"/>. <c>throttle</c>: CPU
/// starvation of a worker for <see cref="Duration"/> (stopped <see cref="Duty"/> of every 500 ms). <c>exception</c>:
/// a subtask of the job throws (the job's <c>task.process</c> fault point). <c>slow-subtask</c>: subtask
/// <see cref="Subtask"/> sleeps <see cref="DelayMs"/> in each of <see cref="Turns"/> turns of its loop (the same
/// point). <c>slow-snapshots</c>: each of the next <see cref="Turns"/> state snapshots takes <see cref="DelayMs"/>
/// longer (slow checkpoint storage). <c>storage-refuses</c>: the checkpoint storage refuses new checkpoint
/// directories for <see cref="Duration"/> (as a read-only or full disk does).
/// </summary>
public sealed class FaultSpec
{
    public string Kind { get; set; } = "kill";
    /// <summary>When, after the job reached steady state (its first completed checkpoint), e.g. <c>5s</c>.</summary>
    public string At { get; set; } = "5s";
    /// <summary>Which worker: <c>source</c> (the one running source subtask 0), <c>job</c> (seeded, among those running the job's subtasks), <c>random</c> (seeded, any live worker), or <c>worker-N</c> (1-based, in start order).</summary>
    public string Target { get; set; } = "source";
    /// <summary>How long a hang lasts, e.g. <c>6s</c>.</summary>
    public string Duration { get; set; } = "5s";
    /// <summary>Kills in a burst.</summary>
    public int Count { get; set; } = 2;
    /// <summary>Time a burst's kills are spread over, e.g. <c>3s</c>.</summary>
    public string Within { get; set; } = "3s";
    /// <summary>Milliseconds of delay of <c>slow-subtask</c> (per loop turn) and <c>slow-snapshots</c> (per snapshot).</summary>
    public int DelayMs { get; set; } = 5;
    /// <summary>How many turns (<c>slow-subtask</c>) or snapshots (<c>slow-snapshots</c>) are slowed.</summary>
    public int Turns { get; set; } = 1000;
    /// <summary>Fraction of the time a <c>throttle</c>d worker is stopped.</summary>
    public double Duty { get; set; } = 0.8;
    /// <summary>The subtask index that throws for <c>exception</c> (whose <c>at</c> counts from the job's start: it is armed through the job's configuration).</summary>
    public int Subtask { get; set; }
}

/// <summary>What the run must achieve to pass.</summary>
public sealed class SloSpec
{
    /// <summary>Zero lost, duplicated and wrong results.</summary>
    public bool ExactlyOnce { get; set; } = true;
    /// <summary>Longest recovery after any fault, seconds (see <see cref="Runs.RecoveryAnalysis"/>).</summary>
    public double MaxRecoverySeconds { get; set; } = 30;
    /// <summary>Longest stretch without any progress after a fault, seconds.</summary>
    public double MaxZeroOutputSeconds { get; set; } = 30;
    /// <summary>The job must finish (rather than fail or run past the deadline).</summary>
    public bool MustFinish { get; set; } = true;
}
