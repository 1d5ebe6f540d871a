using System.CommandLine;
using System.Text.RegularExpressions;
using StreamShield.Cli.Cluster;
using StreamShield.Cluster.Model;
using StreamShield.Cluster.Transport;

namespace StreamShield.Cli;

/// <summary>The `streamshield` command.</summary>
internal static partial class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("StreamShield: a resilient stream processing engine for .NET.")
        {
            DemoCommand.Create(),
            RunCommand.Create(),
            NexmarkCommand.Create(),
            BenchCommand.Create(),
            ChaosCommand.Create(),
            // Cluster: client commands against a coordinator's REST API, and a local cluster in the background.
            SubmitCommand.Create(),
            JobCommands.Jobs(),
            JobCommands.Cancel(),
            JobCommands.Savepoint(),
            JobCommands.Stop(),
            ClusterCommand.Create(),
            CoordinatorCommand.Create(),
            WorkerCommand.Create(),
        };
        try
        {
            var parsed = root.Parse(args);
            // A malformed command line gets one line per problem and a pointer to the help, not the whole help.
            if (parsed.Errors.Count > 0 && !args.Contains("--help") && !args.Contains("-h"))
            {
                foreach (var error in parsed.Errors) Console.Error.WriteLine($"error: {Readable(error.Message)}");
                Console.Error.WriteLine($"Run '{string.Join(' ', ["streamshield", .. CommandPath(parsed.CommandResult.Command, root)])} --help' for usage.");
                return 2;
            }
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (ClusterRequestException e) when (e.StatusCode == 503)
        {
            Console.Error.WriteLine($"error: {e.Message}. {ClusterClientOptions.UnreachableHint}");
            return 2;
        }
        catch (Exception e) when (e is JobBuildException or ArgumentException or ClusterRequestException or FileNotFoundException or DirectoryNotFoundException
                                       or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (PortInUseException e)
        {
            var option = e.Role switch { "control port" => "--port", "REST port" => "--rest-port", "data port" => "--data-port", _ => "the port option" };
            Console.Error.WriteLine($"error: {e.Message}: choose another with {option} (0 picks any free port) or stop the process that holds it.");
            return 2;
        }
        catch (Exception e)
        {
            // Still one line: the type and message name what went wrong; the stack goes only where asked for.
            Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("STREAMSHIELD_VERBOSE") is not null) Console.Error.WriteLine(e);
            return 1;
        }
    }

    private static IEnumerable<string> CommandPath(Command command, RootCommand root)
    {
        if (command == root) return [];
        var path = new List<string>();
        for (var c = command; c is not null && c != root; c = c.Parents.OfType<Command>().FirstOrDefault()) path.Insert(0, c.Name);
        return path;
    }

    /// <summary>System.CommandLine names .NET types in its messages ("System.Nullable`1[System.Int32]"); users want words.</summary>
    internal static string Readable(string message) => TypeName().Replace(message, m => m.Groups[1].Value switch
    {
        var t when t.Contains("Int32") || t.Contains("Int64") => "a whole number",
        var t when t.Contains("Double") || t.Contains("Single") => "a number",
        var t when t.Contains("Boolean") => "true or false",
        _ => "a valid value",
    });

    [GeneratedRegex(@"'(System\.[A-Za-z0-9_.`\[\]]+)'")]
    private static partial Regex TypeName();
}
