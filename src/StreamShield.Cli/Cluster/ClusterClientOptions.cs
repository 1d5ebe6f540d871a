using System.CommandLine;
using System.Text.Json;
using StreamShield.Cluster.Rest;

namespace StreamShield.Cli.Cluster;

/// <summary>
/// The options every command talking to a coordinator shares: where it is (<c>--coordinator URL</c>, else the
/// STREAMSHIELD_COORDINATOR environment variable, else <c>--dir DIR</c> of a cluster `cluster start` started, else
/// http://127.0.0.1:8081, which `cluster start` takes when it is free) and <c>--token</c> (or STREAMSHIELD_TOKEN).
/// </summary>
internal sealed class ClusterClientOptions
{
    /// <summary>Default coordinator REST URL.</summary>
    public const string DefaultCoordinator = "http://127.0.0.1:8081";

    /// <summary>Environment variable read for the coordinator's URL when <c>--coordinator</c> is absent.</summary>
    public const string CoordinatorVariable = "STREAMSHIELD_COORDINATOR";

    /// <summary>Environment variable read for the token when <c>--token</c> is absent.</summary>
    public const string TokenVariable = "STREAMSHIELD_TOKEN";

    /// <summary>JSON output of the cluster commands (camelCase, one line).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public Option<string?> Coordinator { get; } = new("--coordinator", "-c")
    {
        Description = $"REST URL of the coordinator (default: the {CoordinatorVariable} environment variable, else the cluster of --dir, else {DefaultCoordinator}).",
    };

    public Option<string?> ClusterDir { get; } = new("--dir")
    {
        Description = "Directory of a local cluster started with `streamshield cluster start --dir DIR`: talk to its coordinator.",
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"Cluster token, sent as bearer token (default: the {TokenVariable} environment variable; prefer it, a command-line value is visible in `ps`).",
    };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Coordinator);
        command.Options.Add(ClusterDir);
        command.Options.Add(Token);
    }

    /// <summary>The token from <c>--token</c>, else from STREAMSHIELD_TOKEN; null if neither is set.</summary>
    public string? TokenOf(ParseResult result) => ResolveToken(result.GetValue(Token));

    /// <summary>A REST client for the coordinator the command line names.</summary>
    public RestClient CreateClient(ParseResult result) => new(CoordinatorUrl(result), TokenOf(result));

    /// <summary>The coordinator's REST URL: --coordinator, else STREAMSHIELD_COORDINATOR, else the cluster of --dir, else the default.</summary>
    public string CoordinatorUrl(ParseResult result)
    {
        if (result.GetValue(Coordinator) is { Length: > 0 } url) return url;
        if (Environment.GetEnvironmentVariable(CoordinatorVariable) is { Length: > 0 } fromEnvironment) return fromEnvironment;
        if (result.GetValue(ClusterDir) is { Length: > 0 } dir)
        {
            var file = Path.Combine(Path.GetFullPath(dir), ClusterCommand.ClusterFileName);
            return ClusterCommand.ReadClusterFile(file)?.RestUrl
                   ?? throw new FileNotFoundException($"{file} does not exist: no cluster is running with --dir {dir}. Start one with `streamshield cluster start --dir {dir}`.");
        }
        return DefaultCoordinator;
    }

    /// <summary>What to tell a user whose command found no coordinator.</summary>
    public const string UnreachableHint =
        $"Start a local cluster with `streamshield cluster start --dir DIR`, or name a running coordinator with --coordinator URL, --dir DIR or {CoordinatorVariable}.";

    /// <summary><paramref name="option"/> if not empty, else STREAMSHIELD_TOKEN if not empty, else null.</summary>
    public static string? ResolveToken(string? option) =>
        !string.IsNullOrEmpty(option) ? option
        : Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : null;
}
