using System.Reflection;
using System.Runtime.Loader;
using StreamShield.Examples;

namespace StreamShield.Cli;

/// <summary>Finds a job by example name or loads it from a job assembly (a class library with an <see cref="IStreamJob"/>).</summary>
internal static class JobLoader
{
    public static IStreamJob Load(string job)
    {
        if (ExampleJobs.All.TryGetValue(job, out var example)) return example();
        if (!job.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"'{job}' is neither an example ({string.Join(", ", ExampleJobs.All.Keys)}) nor a path to a job assembly (.dll).");
        var path = Path.GetFullPath(job);
        if (!File.Exists(path)) throw new FileNotFoundException($"Job assembly '{path}' does not exist. Build the job's project and pass the path to its .dll.");
        Assembly assembly;
        try
        {
            var context = new AssemblyLoadContext($"job:{Path.GetFileName(path)}");
            var dir = Path.GetDirectoryName(path)!;
            context.Resolving += (ctx, name) =>
            {
                var candidate = Path.Combine(dir, name.Name + ".dll");
                return File.Exists(candidate) ? ctx.LoadFromAssemblyPath(candidate) : null;
            };
            assembly = context.LoadFromAssemblyPath(path);
        }
        catch (BadImageFormatException)
        {
            throw new ArgumentException($"'{path}' is not a .NET assembly. Pass the .dll built from the job's class library.");
        }
        var types = assembly.GetTypes().Where(t => typeof(IStreamJob).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }).ToList();
        return types.Count switch
        {
            0 => throw new ArgumentException($"'{path}' contains no job: add a public class implementing StreamShield.IStreamJob with a parameterless constructor."),
            1 => (IStreamJob)(Activator.CreateInstance(types[0]) ?? throw new ArgumentException($"Cannot create {types[0].FullName}.")),
            _ => throw new ArgumentException($"'{path}' contains several jobs ({string.Join(", ", types.Select(t => t.FullName))}); keep one IStreamJob per assembly."),
        };
    }
}
