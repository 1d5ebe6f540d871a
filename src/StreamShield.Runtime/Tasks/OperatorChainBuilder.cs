using StreamShield.Graph;
using StreamShield.Runtime.Graph;
using StreamShield.Operators;
using StreamShield.Runtime.Checkpointing;
using StreamShield.Runtime.Network;
using StreamShield.Runtime.State;
using StreamShield.Runtime.State.Heap;

namespace StreamShield.Runtime.Tasks;

/// <summary>
/// Instantiates a subtask's operator chain: operators (from their factories), state (restored if the deployment
/// carries any), outputs (chained operators, record writers, side outputs) and the input processor.
/// </summary>
internal static class OperatorChainBuilder
{
    public sealed record Chain(
        StreamOperator[] Operators,
        IKeyedStateBackendInternal?[] KeyedBackends,
        OperatorStateStore[] OperatorStates,
        List<IRecordWriter> Writers,
        ISourceOperator? Source,
        bool[] Restored,
        InputProcessor? Input,
        BarrierAligner? Aligner);

    public static Chain Build(StreamTask task)
    {
        var d = task.Deployment;
        var vertex = d.Vertex;
        var n = vertex.Operators.Count;
        var ops = new StreamOperator[n];
        var backends = new IKeyedStateBackendInternal?[n];
        var states = new OperatorStateStore[n];
        var restoredFlags = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var co = vertex.Operators[i];
            ops[i] = co.Transformation switch
            {
                SourceTransformation s => s.OperatorFactory(),
                OperatorTransformation o => o.OperatorFactory(),
                _ => throw new InvalidOperationException($"{co.Transformation} is not an operator."),
            };
            var restored = d.Restore(co.Uid);
            restoredFlags[i] = restored is not null;
            states[i] = new OperatorStateStore(restored?.OperatorState ?? new Dictionary<string, OperatorStateSnapshot>());
            object? backend = null;
            if (co.Key is { } key)
            {
                var range = KeyGroupRangeAssignment.RangeFor(vertex.MaxParallelism, vertex.Parallelism, d.Subtask);
                backend = key.Accept(new BackendFactory(co.Name, vertex.MaxParallelism, range, task));
                backends[i] = (IKeyedStateBackendInternal)backend;
                if (restored is not null)
                    foreach (var (kg, load) in restored.KeyGroups) backends[i]!.Restore(kg, load());
            }
            ops[i].Setup(new TaskOperatorContext(task, co.Name, co.Uid, states[i], backend));
        }

        var writers = new List<IRecordWriter>();
        for (var i = n - 1; i >= 0; i--)
        {
            var co = vertex.Operators[i];
            var targets = new List<object>();
            foreach (var j in co.ChainedOutputs) targets.Add(ops[j].GetInput(0));
            var side = new Dictionary<string, List<object>>(StringComparer.Ordinal);
            for (var e = 0; e < vertex.Outputs.Count; e++)
            {
                var edge = vertex.Outputs[e];
                if (edge.SourceOperator != i) continue;
                var writer = edge.Type.Accept(new WriterFactory(edge, d.OutputChannels[e], task, d));
                writers.Add((IRecordWriter)writer);
                if (edge.SideOutputTag is null) targets.Add(writer);
                else
                {
                    if (!side.TryGetValue(edge.SideOutputTag, out var list)) side[edge.SideOutputTag] = list = new List<object>();
                    list.Add(writer);
                }
            }
            ops[i].SetOutputObject(co.Transformation.OutputType.Accept(new OutputFactory(targets, side)));
        }

        InputProcessor? input = null;
        BarrierAligner? aligner = null;
        if (vertex.Inputs.Count > 0)
        {
            var channels = new List<(LocalChannel, IInputHandler, int)>();
            foreach (var group in vertex.Inputs.Select((edge, index) => (edge, index)).GroupBy(x => x.edge.TargetInput))
            {
                var total = group.Sum(x => d.InputChannels[x.index].Length);
                var handler = group.First().edge.Type.Accept(new HandlerFactory(ops[0].GetInput(group.Key), total, task.Counters));
                var c = 0;
                foreach (var (edge, index) in group)
                    foreach (var ch in d.InputChannels[index]) channels.Add((ch, handler, c++));
            }
            aligner = new BarrierAligner(channels.Count, task.Owner.Mode == CheckpointingMode.ExactlyOnce, task.OnBarriersAligned, task.OnAlignmentAborted);
            input = new InputProcessor(channels, aligner, task.Counters);
        }
        return new Chain(ops, backends, states, writers, ops[0] as ISourceOperator, restoredFlags, input, aligner);
    }

    private sealed class BackendFactory(string name, int maxParallelism, KeyGroupRange range, StreamTask task) : IKeyInfoVisitor<object>
    {
        public object Visit<T, TKey>(KeyInfo<T, TKey> key) =>
            new HeapKeyedStateBackend<TKey>(name, maxParallelism, range, key.Serializer, () => task.Timers.Now, task.Timers.Register, task.Deployment.IncrementalSnapshots);
    }

    private sealed class WriterFactory(JobEdge edge, OutputChannel[] channels, StreamTask task, TaskDeployment d) : IStreamTypeVisitor<object>
    {
        public object Visit<T>(StreamType<T> type)
        {
            var retained = channels.Select(c => d.RetainedOutputMemoryLimit > 0 ? new RetainedOutput(d.SpillDirectory, c.Name, d.RetainedOutputMemoryLimit, d.RetainedOutputSpillLimit) : null).ToArray();
            var selector = ChannelSelector<T>.Create(edge.Partitioner, edge.Target.MaxParallelism, edge.Target.Name, d.Subtask);
            return new RecordWriter<T>(channels, selector, type.Serializer, retained, task.Deployment.Signal, task.SendHook);
        }
    }

    private sealed class OutputFactory(List<object> targets, Dictionary<string, List<object>> side) : IStreamTypeVisitor<object>
    {
        public object Visit<T>(StreamType<T> type)
        {
            if (side.Count == 0)
            {
                if (targets.Count == 0) return NullOutput<T>.Instance;
                if (targets.Count == 1) return targets[0];
            }
            return new RoutingOutput<T>(targets.Cast<IOutput<T>>().ToArray(), side);
        }
    }

    private sealed class HandlerFactory(object target, int channels, TaskCounters counters) : IStreamTypeVisitor<IInputHandler>
    {
        public IInputHandler Visit<T>(StreamType<T> type) => new InputHandler<T>((IOutput<T>)target, type.Serializer, channels, counters);
    }
}
