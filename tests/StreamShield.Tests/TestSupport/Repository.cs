namespace StreamShield.Tests;

/// <summary>The repository the tests run in (the folder holding StreamShield.sln above the test binaries).</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "StreamShield.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (StreamShield.sln) above the test binaries.");
    }
}
