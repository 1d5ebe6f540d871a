using System.Security.Cryptography;
using System.Text;
using StreamShield.Runtime.Graph;

namespace StreamShield.Cluster.Jobs;

/// <summary>
/// A job built from its code: the environment the entry point configured and the compiled graph. The coordinator
/// and every worker build it the same way from the same artifact, entry class, arguments and parallelism (job code
/// is not shipped as serialized objects); the <see cref="Fingerprint"/> proves they got the same graph.
/// </summary>
internal sealed class JobDefinition
{
    private JobDefinition(StreamEnvironment environment, JobGraph graph)
    {
        Environment = environment;
        Graph = graph;
        Execution = new ExecutionGraph(graph);
        Fingerprint = ComputeFingerprint(graph);
    }

    public StreamEnvironment Environment { get; }
    public JobGraph Graph { get; }
    public ExecutionGraph Execution { get; }
    public string Fingerprint { get; }

    /// <summary>Runs the entry point's Build and compiles the graph; a job that cannot build throws <see cref="JobBuildException"/>.</summary>
    public static JobDefinition Build(IStreamJob job, IReadOnlyList<string> args, int? parallelism, long? checkpointIntervalMs,
        IReadOnlyDictionary<string, string>? configuration, string checkpointRoot)
    {
        var env = StreamEnvironment.Create();
        if (parallelism is { } p) env.Parallelism = p;
        job.Build(env, args);
        if (configuration is not null) foreach (var (k, v) in configuration) env.Configuration[k] = v;
        // Unknown keys and bad values fail the submission, not the deployment.
        Runtime.Execution.JobSettings.ApplyToCheckpointing(env);
        if (checkpointIntervalMs is { } ms && env.Checkpointing.Interval is null) env.EnableCheckpointing(TimeSpan.FromMilliseconds(ms));
        // The cluster owns where checkpoints go (one directory per job under the coordinator's checkpoint root).
        env.Checkpointing.Directory = checkpointRoot;
        return new JobDefinition(env, JobGraphBuilder.Build(env, job.Name));
    }

    /// <summary>Slots the job needs with slot sharing: one per subtask index of its widest vertex.</summary>
    public int RequiredSlots => Graph.Vertices.Max(v => v.Parallelism);

    private static string ComputeFingerprint(JobGraph graph)
    {
        var sb = new StringBuilder();
        foreach (var v in graph.Vertices)
        {
            sb.Append(v.Id).Append('|').Append(v.Name).Append('|').Append(v.Parallelism).Append('|').Append(v.MaxParallelism);
            foreach (var o in v.Operators) sb.Append('|').Append(o.Uid);
            sb.Append('\n');
        }
        foreach (var e in graph.Edges)
            sb.Append(e.Source.Id).Append('>').Append(e.Target.Id).Append(':').Append(e.Partitioner.Kind).Append(':').Append(e.TargetInput).Append(':').Append(e.SideOutputTag).Append('\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..16];
    }
}
