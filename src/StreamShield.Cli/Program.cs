using System.CommandLine;

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
        };
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is JobBuildException or ArgumentException or FileNotFoundException or DirectoryNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
