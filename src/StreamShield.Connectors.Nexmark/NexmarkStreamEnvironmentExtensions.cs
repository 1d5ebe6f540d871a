namespace StreamShield.Connectors.Nexmark;

/// <summary>Adds a Nexmark source to a job.</summary>
public static class NexmarkStreamEnvironmentExtensions
{
    /// <summary>
    /// A stream of Nexmark events (<see cref="NexmarkSource"/>) with event time from <c>dateTime</c> and the
    /// watermarks of <see cref="NexmarkSource.Watermarks"/>.
    /// </summary>
    public static DataStream<Event> FromNexmark(this StreamEnvironment environment, NexmarkOptions options, string name = "Nexmark Source")
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.FromSource(new NexmarkSource(options), NexmarkSource.Watermarks(options), name);
    }
}
