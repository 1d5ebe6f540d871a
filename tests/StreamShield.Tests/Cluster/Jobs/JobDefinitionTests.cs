using StreamShield.Cluster.Jobs;
using StreamShield.Examples;

namespace StreamShield.Tests.Cluster.Jobs;

/// <summary>
/// The coordinator and each worker build a job's graph from its code; they must agree whatever else each process
/// built before (a rejected submission, another job, a worker that joined later).
/// </summary>
public sealed class JobDefinitionTests
{
    private static readonly string[] WordCountArgs = ["--input", "in", "--output", "out"];

    private static JobDefinition Build(IStreamJob job, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? configuration = null) =>
        JobDefinition.Build(job, args, 2, 1000, configuration, "/tmp/unused-checkpoints");

    [Fact]
    public void Generated_operator_uids_do_not_depend_on_what_the_process_built_before()
    {
        var first = Build(new WordCountJob(), WordCountArgs);

        // A submission rejected after Build ran (an unknown key), and a different job, both in between.
        Assert.Throws<JobBuildException>(() => Build(new WordCountJob(), WordCountArgs, new Dictionary<string, string> { ["foo"] = "1" }));
        _ = Build(new WindowedCountsJob(), ["--events", "1000"]);

        var again = Build(new WordCountJob(), WordCountArgs);

        // The job's operators have no uids of their own: these are generated, so the test would see a shifted counter.
        Assert.Contains(first.Graph.Vertices.SelectMany(v => v.Operators), o => o.Uid.Contains('#'));
        Assert.Equal(first.Graph.Vertices.SelectMany(v => v.Operators).Select(o => o.Uid),
                     again.Graph.Vertices.SelectMany(v => v.Operators).Select(o => o.Uid));
        Assert.Equal(first.Fingerprint, again.Fingerprint);
    }
}
