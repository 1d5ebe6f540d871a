using System.CommandLine;
using System.Text.Json;
using StreamShield.Cluster.Rest;

namespace StreamShield.Cli.Cluster;

/// <summary>The options every command talking to a coordinator shares: <c>--coordinator</c> and <c>--token</c> (or STREAMSHIELD_TOKEN).</summary>
internal sealed class ClusterClientOptions
{
    /// <summary>Default coordinator REST URL.</summary>
    public const string DefaultCoordinator = "http://127.0.0.1:8081";

    /// <summary>Environment variable read for the token when <c>--token</c> is absent.</summary>
    public const string TokenVariable = "STREAMSHIELD_TOKEN";

    /// <summary>JSON output of the cluster commands (camelCase, one line).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public Option<string> Coordinator { get; } = new("--coordinator", "-c")
    {
        Description = "REST URL of the coordinator.",
        DefaultValueFactory = _ => DefaultCoordinator,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"Cluster token, sent as bearer token (default: the {TokenVariable} environment variable).",
    };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Coordinator);
        command.Options.Add(Token);
    }

    /// <summary>The token from <c>--token</c>, else from STREAMSHIELD_TOKEN; null if neither is set.</summary>
    public string? TokenOf(ParseResult result) => ResolveToken(result.GetValue(Token));

    /// <summary>A REST client for the coordinator the command line names.</summary>
    public RestClient CreateClient(ParseResult result) => new(result.GetValue(Coordinator) ?? DefaultCoordinator, TokenOf(result));

    /// <summary><paramref name="option"/> if not empty, else STREAMSHIELD_TOKEN if not empty, else null.</summary>
    public static string? ResolveToken(string? option) =>
        !string.IsNullOrEmpty(option) ? option
        : Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : null;
}
