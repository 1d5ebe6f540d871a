using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace StreamShield.Cli;

/// <summary>Options several commands share, each with one description and one check of its value.</summary>
internal static class CliOptions
{
    /// <summary><c>--parallelism/-p N</c>: a positive whole number, or absent.</summary>
    public static Option<int?> Parallelism() => new("--parallelism", "-p")
    {
        Description = "Default parallelism of the job's operators (a positive whole number).",
        CustomParser = PositiveInt,
    };

    /// <summary><c>-D KEY=VALUE</c> job configuration entries (repeatable).</summary>
    public static Option<string[]> Config() => new("--config", "-D")
    {
        Description = "A job configuration entry KEY=VALUE (repeatable), e.g. -D failover.strategy=region or -D restart-strategy.type=none.",
        AllowMultipleArgumentsPerToken = false,
    };

    private static int? PositiveInt(ArgumentResult result)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0) return n;
        result.AddError($"{OptionName(result)} must be a positive whole number, not '{token}'.");
        return null;
    }

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult o ? o.Option.Name : "the value";
}
