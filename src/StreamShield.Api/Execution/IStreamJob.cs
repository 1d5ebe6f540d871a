namespace StreamShield;

/// <summary>
/// The entry point of a job packaged as an assembly: `streamshield run` finds the type implementing this
/// interface, creates a <see cref="StreamEnvironment"/> (with the command line's parallelism and checkpoint
/// options applied), and calls <see cref="Build"/>, which adds the job's sources, operators and sinks.
/// </summary>
public interface IStreamJob
{
    /// <summary>The job's name (shown in the timeline and metrics).</summary>
    string Name { get; }

    /// <summary>Defines the job on <paramref name="env"/>. <paramref name="args"/> are the arguments after the job name.</summary>
    void Build(StreamEnvironment env, IReadOnlyList<string> args);
}
