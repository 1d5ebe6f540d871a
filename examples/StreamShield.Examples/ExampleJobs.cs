namespace StreamShield.Examples;

/// <summary>The examples, by the name `streamshield run` knows them by.</summary>
public static class ExampleJobs
{
    /// <summary>All example jobs.</summary>
    public static IReadOnlyDictionary<string, Func<IStreamJob>> All { get; } = new Dictionary<string, Func<IStreamJob>>(StringComparer.OrdinalIgnoreCase)
    {
        ["windowed-counts"] = () => new WindowedCountsJob(),
        ["wordcount"] = () => new WordCountJob(),
        ["click-log"] = () => new ClickLogJob(),
        ["nexmark"] = () => new StreamShield.Connectors.Nexmark.NexmarkJob(),
    };
}
