namespace StreamShield.Cli;

/// <summary>The <c>-D KEY=VALUE</c> job configuration entries of <c>submit</c> and <c>bench nexmark</c>.</summary>
internal static class ConfigEntries
{
    /// <summary>The entries as a dictionary (a later entry for a key wins).</summary>
    /// <exception cref="ArgumentException">An entry is not KEY=VALUE.</exception>
    public static Dictionary<string, string> Parse(IEnumerable<string>? entries)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries ?? [])
        {
            var eq = entry.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"-D '{entry}' must be KEY=VALUE, e.g. -D failover.strategy=region.");
            parsed[entry[..eq].Trim()] = entry[(eq + 1)..].Trim();
        }
        return parsed;
    }
}
