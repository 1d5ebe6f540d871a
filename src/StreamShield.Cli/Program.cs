using System.CommandLine;
using StreamShield.Cli.Cluster;
using StreamShield.Cluster.Model;

namespace StreamShield.Cli;

/// <summary>The `streamshield` command.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("StreamShield: a resilient stream processing engine for .NET.")
        {
            DemoCommand.Create(),
            RunCommand.Create(),
            NexmarkCommand.Create(),
            BenchCommand.Create(),
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
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is JobBuildException or ArgumentException or ClusterRequestException or FileNotFoundException or DirectoryNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
