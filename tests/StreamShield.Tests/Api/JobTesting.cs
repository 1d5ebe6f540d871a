using StreamShield.Execution;
using StreamShield.Functions;

namespace StreamShield.Tests.Api;

/// <summary>Shared plumbing of the embedded job tests: environments, temporary directories, failure context.</summary>
internal static class JobTesting
{
    /// <summary>An environment with a fixed parallelism (tests never depend on the machine's core count).</summary>
    public static StreamEnvironment Environment(int parallelism = 2)
    {
        var env = StreamEnvironment.Create();
        env.Parallelism = parallelism;
        return env;
    }

    /// <summary>The job's timeline, one event per line, for assertion messages.</summary>
    public static string Describe(JobExecutionResult result) =>
        $"status {result.Status}, restarts {result.Metrics.Restarts}, checkpoints {result.Metrics.CheckpointsCompleted}, timeline:\n"
        + Describe(result.Timeline);

    public static string Describe(IEnumerable<JobEvent> timeline) =>
        string.Join("\n", timeline.Select(e => $"  {e.Time:HH:mm:ss.fff} {e.Kind}: {e.Message}"));

    /// <summary>Runs the job and returns its result without throwing on failure.</summary>
    public static JobExecutionResult Run(StreamEnvironment env, string name) =>
        env.ExecuteAsync(name).Completion.GetAwaiter().GetResult();

    /// <summary>Cancels a running job and waits until it has stopped.</summary>
    public static JobExecutionResult CancelAndWait(IJobClient client)
    {
        client.Cancel();
        return client.Completion.GetAwaiter().GetResult();
    }

    /// <summary>Waits (polling) until <paramref name="condition"/> holds; false after <paramref name="timeout"/>.</summary>
    public static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = System.Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!condition())
        {
            if (System.Environment.TickCount64 > deadline) return false;
            Thread.Sleep(5);
        }
        return true;
    }
}

/// <summary>A record and the index of the subtask that processed it.</summary>
public sealed record Tagged<T>(T Value, int Subtask);

/// <summary>Tags each record with the index of the subtask processing it.</summary>
internal sealed class TagSubtask<T> : ProcessFunction<T, Tagged<T>>
{
    public override void ProcessElement(T value, Context context, ICollector<Tagged<T>> output) =>
        output.Collect(new Tagged<T>(value, RuntimeContext.SubtaskIndex));
}
