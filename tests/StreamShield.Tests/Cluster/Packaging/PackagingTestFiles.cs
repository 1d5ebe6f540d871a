using System.IO.Compression;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Versioning;
using StreamShield.Cluster.Packaging;

namespace StreamShield.Tests.Cluster.Packaging;

/// <summary>A temporary directory for one test, with helpers to build artifact zips by hand.</summary>
internal sealed class PackagingTestFiles : IDisposable
{
    public PackagingTestFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), $"streamshield-packaging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string StoreDirectory => Path.Combine(Root, "artifacts");

    public string ExtractRoot => Path.Combine(Root, "extract");

    /// <summary>A zip with the given entries (name, content) and, if <paramref name="manifestAssembly"/> is set, a manifest naming it.</summary>
    public string Zip(string? manifestAssembly, params (string Name, byte[] Content)[] entries)
    {
        var path = Path.Combine(Root, $"{Guid.NewGuid():N}.zip");
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, content) in entries)
        {
            using var stream = archive.CreateEntry(name).Open();
            stream.Write(content);
        }
        if (manifestAssembly is not null) new JobManifest(manifestAssembly, null).WriteTo(archive);
        return path;
    }

    /// <summary>The bytes of a tiny assembly with one public class, declaring <paramref name="targetFramework"/> as its target.</summary>
    public static byte[] AssemblyTargeting(string name, string targetFramework)
    {
        var builder = new PersistedAssemblyBuilder(new AssemblyName(name), typeof(object).Assembly);
        builder.SetCustomAttribute(new CustomAttributeBuilder(
            typeof(TargetFrameworkAttribute).GetConstructor([typeof(string)])!, [targetFramework]));
        builder.DefineDynamicModule(name).DefineType($"{name}.Job", TypeAttributes.Public | TypeAttributes.Class).CreateType();
        using var stream = new MemoryStream();
        builder.Save(stream);
        return stream.ToArray();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
