using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using StreamShield.Operators;
using StreamShield.Runtime.Faults;
using StreamShield.Runtime.Network;
using StreamShield.Sources;

namespace StreamShield.Runtime.Tasks;

/// <summary>Lifecycle of a subtask.</summary>
internal enum TaskState { Created, Running, DataFinished, Terminated, Failed, Canceled }

/// <summary>
/// One parallel subtask: a chain of operators driven by one thread with a mailbox, Flink's mailbox model. The loop
/// runs mail (checkpoint triggers, completion notices, termination), fires due processing-time timers, and
/// otherwise performs the default action: read one input buffer, or poll the source once. It suspends — never
/// spins — when there is no input, or when an output channel has no credit (backpressure), until a signal wakes it.
/// </summary>
internal sealed partial class StreamTask : Checkpointing.ICheckpointParticipant
{
    private readonly ConcurrentQueue<Action> _mailbox = new();
    private readonly Thread _thread;
    private OperatorChainBuilder.Chain? _chain;
    private volatile bool _cancelled;
    private volatile bool _terminateRequested;
    private volatile TaskState _state = TaskState.Created;
    private readonly FaultRule? _processFault;
    private readonly FaultRule? _checkpointFault;
    private readonly FaultRule? _snapshotFault;
    private long _lastFlushTicks;

    public StreamTask(TaskDeployment deployment, ITaskOwner owner)
    {
        Deployment = deployment;
        Owner = owner;
        Timers = new ProcessingTimeService(owner.Clock);
        _processFault = owner.Faults?.Rule(FaultPoints.TaskProcess);
        _checkpointFault = owner.Faults?.Rule(FaultPoints.TaskCheckpoint);
        _snapshotFault = owner.Faults?.Rule(FaultPoints.StateSnapshot);
        if (owner.Faults?.Rule(FaultPoints.ChannelSend) is { } send)
            SendHook = () => owner.Faults.Hit(send, deployment.Subtask, owner.Attempt, $"channel send of {deployment.Name}");
        _thread = new Thread(Run) { IsBackground = true, Name = deployment.Name };
    }

    public TaskDeployment Deployment { get; }
    public ITaskOwner Owner { get; }
    public ProcessingTimeService Timers { get; }
    public TaskCounters Counters { get; } = new();
    public TaskState State => _state;
    internal Action? SendHook { get; }
    public string Name => Deployment.Name;
    public SubtaskId Id => Deployment.Id;
    public bool IsSource => Deployment.Vertex.IsSource;
    public bool CanCheckpoint => _state is TaskState.Running or TaskState.DataFinished;

    /// <summary>Records emitted to channels plus records written by sinks in this subtask.</summary>
    public long RecordsOut
    {
        get
        {
            var chain = _chain;
            if (chain is null) return 0;
            long sum = 0;
            foreach (var w in chain.Writers) sum += w.RecordsOut;
            foreach (var op in chain.Operators) if (op is ISinkOperatorMetrics s) sum += s.RecordsWritten;
            return sum;
        }
    }

    /// <summary>
    /// Records written by the sink operators of this subtask's chain: the job's records out. A sink may be chained
    /// anywhere in a vertex (for example on a side output of a vertex that also feeds others), so this counts sink
    /// operators, not vertices without consumers.
    /// </summary>
    public long SinkRecords
    {
        get
        {
            var chain = _chain;
            if (chain is null) return 0;
            long sum = 0;
            foreach (var op in chain.Operators) if (op is ISinkOperatorMetrics s) sum += s.RecordsWritten;
            return sum;
        }
    }

    /// <summary>Records read from channels, or emitted by the source for source subtasks.</summary>
    public long RecordsIn => _chain?.Source?.RecordsEmitted ?? Counters.RecordsIn;

    public void Start() => _thread.Start();

    /// <summary>Posts an action to run on the subtask thread between records.</summary>
    public void Post(Action mail)
    {
        _mailbox.Enqueue(mail);
        Deployment.Signal.Set();
    }

    /// <summary>Stops the subtask: no final checkpoint, open transactions are aborted.</summary>
    public void Cancel()
    {
        _cancelled = true;
        Deployment.Signal.Set();
    }

    /// <summary>Ends the subtask after its data finished and the final checkpoint completed.</summary>
    public void Terminate() => Post(() => _terminateRequested = true);

    public bool Join(TimeSpan timeout) => _thread.Join(timeout);

    private void Run()
    {
        try
        {
            _chain = OperatorChainBuilder.Build(this);
            for (var i = 0; i < _chain.Operators.Length; i++) _chain.Operators[i].InitializeState(_chain.Restored[i]);
            // Open from the tail so that an operator's downstream is ready before it emits.
            for (var i = _chain.Operators.Length - 1; i >= 0; i--) _chain.Operators[i].Open();
            _state = TaskState.Running;
            _lastFlushTicks = Environment.TickCount64;
            Loop();
            if (_cancelled) _state = TaskState.Canceled;
            else _state = TaskState.Terminated;
        }
        catch (Exception e) when (_cancelled)
        {
            _state = TaskState.Canceled;
            _ = e;
        }
        catch (Exception e)
        {
            _state = TaskState.Failed;
            Owner.OnTaskFailed(this, e);
        }
        finally
        {
            try { Close(); }
            catch (Exception e)
            {
                // Only after a clean run (see Close): the task fails instead of the exception escaping its thread.
                _state = TaskState.Failed;
                Owner.OnTaskFailed(this, e);
            }
            Owner.OnTerminated(this);
        }
    }

    private void Loop()
    {
        var chain = _chain!;
        var signal = Deployment.Signal;
        var bufferTimeoutMs = (long)Owner.BufferTimeout.TotalMilliseconds;
        while (true)
        {
            signal.Reset();
            while (_mailbox.TryDequeue(out var mail)) mail();
            if (_cancelled || _terminateRequested) return;
            var now = Timers.Now;
            Timers.FireDue(now);

            var progressed = false;
            if (OutputsAvailable(chain))
            {
                if (_processFault is not null) Owner.Faults!.Hit(_processFault, Deployment.Subtask, Owner.Attempt, Name);
                if (chain.Source is { } source)
                {
                    if (_state == TaskState.Running)
                    {
                        var status = source.EmitNext();
                        if (status == InputStatus.EndOfInput) FinishData();
                        progressed = status == InputStatus.MoreAvailable;
                    }
                }
                else
                {
                    // Read a few buffers per turn of the loop; mail and timers are checked between turns.
                    for (var i = 0; i < 8; i++)
                    {
                        var result = chain.Input!.ProcessNext();
                        if (result == InputResult.NothingAvailable) break;
                        progressed = true;
                        if (result == InputResult.EndOfData) { FinishData(); break; }
                        if (!OutputsAvailable(chain)) break;
                    }
                }
            }
            else
            {
                // Backpressure: wait for credit. Barriers still arrive through mail for sources; non-sources
                // cannot receive barriers past queued data anyway.
                var start = Stopwatch.GetTimestamp();
                FlushAll(chain);
                signal.Wait(10);
                Counters.BackpressuredMs += (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                continue;
            }

            var ticks = Environment.TickCount64;
            if (progressed)
            {
                if (ticks - _lastFlushTicks >= bufferTimeoutMs) { FlushAll(chain); _lastFlushTicks = ticks; }
                continue;
            }

            // Nothing to do: send what is buffered and sleep until input, credit, mail or the next timer.
            FlushAll(chain);
            _lastFlushTicks = ticks;
            var wait = Timers.NextDueIn(Timers.Now) ?? 100;
            if (chain.Source is not null && _state == TaskState.Running) wait = Math.Min(wait, 1); // rate-limited or empty source
            if (wait > 0 && _mailbox.IsEmpty)
            {
                var start = Stopwatch.GetTimestamp();
                signal.Wait((int)Math.Min(wait, 100));
                Counters.IdleMs += (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }
    }

    private static bool OutputsAvailable(OperatorChainBuilder.Chain chain)
    {
        foreach (var w in chain.Writers) if (!w.IsAvailable) return false;
        return true;
    }

    private static void FlushAll(OperatorChainBuilder.Chain chain)
    {
        foreach (var w in chain.Writers) if (w.HasPendingData) w.Flush();
    }

    /// <summary>All input ended: finish operators head to tail, tell consumers, and wait for the final checkpoint.</summary>
    private void FinishData()
    {
        if (_state != TaskState.Running) return;
        var chain = _chain!;
        foreach (var op in chain.Operators) op.Finish();
        foreach (var w in chain.Writers) w.BroadcastEvent(BufferKind.EndOfData, 0);
        _state = TaskState.DataFinished;
        Owner.OnDataFinished(this);
    }

    /// <summary>Closes every operator and writer; rethrows the first close error unless the task already failed or was cancelled.</summary>
    private void Close()
    {
        var chain = _chain;
        if (chain is null) return;
        Exception? first = null;
        foreach (var op in chain.Operators)
        {
            try { op.Close(); }
            catch (Exception e) { first ??= e; }
        }
        foreach (var w in chain.Writers) w.Dispose();
        // Already failing or cancelled: the first error is what matters.
        if (first is not null && !_cancelled && _state != TaskState.Failed) ExceptionDispatchInfo.Throw(first);
    }
}
