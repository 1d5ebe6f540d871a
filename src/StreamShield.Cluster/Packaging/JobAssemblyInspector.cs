using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Versioning;
using StreamShield.Cluster.Model;

namespace StreamShield.Cluster.Packaging;

/// <summary>
/// Checks a job assembly's file before it is loaded: that it is a .NET assembly at all, and that it targets a
/// framework this process can run. Reading metadata with <see cref="PEReader"/> gives a clear message where loading
/// would fail with an obscure <see cref="BadImageFormatException"/> or a missing-type error at run time.
/// </summary>
internal static class JobAssemblyInspector
{
    /// <summary>
    /// Throws <see cref="ClusterRequestException"/> naming the problem and the fix if <paramref name="assemblyBytes"/>
    /// (the contents of <paramref name="fileName"/>) is not a .NET assembly or targets .NET Framework or a newer .NET
    /// than the running one.
    /// </summary>
    public static void Check(string fileName, byte[] assemblyBytes)
    {
        string? targetFramework;
        try
        {
            using var pe = new PEReader(new MemoryStream(assemblyBytes, writable: false));
            if (!pe.HasMetadata)
                throw new ClusterRequestException($"'{fileName}' is a native library, not a .NET assembly. Name the .dll built from the job's C# class library as the job assembly.");
            var metadata = pe.GetMetadataReader();
            if (!metadata.IsAssembly)
                throw new ClusterRequestException($"'{fileName}' is a .NET module without an assembly manifest. Name the .dll built from the job's class library as the job assembly.");
            targetFramework = ReadTargetFramework(metadata);
        }
        catch (BadImageFormatException)
        {
            throw new ClusterRequestException($"'{fileName}' is not a .NET assembly (not a valid PE file with .NET metadata). Name the .dll built from the job's C# class library as the job assembly.");
        }

        if (targetFramework is null) return; // Hand-made or very old assemblies lack the attribute; loading will tell.
        FrameworkName framework;
        try
        {
            framework = new FrameworkName(targetFramework);
        }
        catch (ArgumentException)
        {
            return; // An unparseable value is not worth refusing a job over.
        }
        var runtime = Environment.Version;
        if (framework.Identifier == ".NETFramework")
            throw new ClusterRequestException(
                $"'{fileName}' targets .NET Framework {framework.Version} ({targetFramework}), but the cluster runs on .NET {runtime}. Retarget the job's project to net{runtime.Major}.0 (or netstandard2.0) and rebuild.");
        if (framework.Identifier == ".NETCoreApp" && framework.Version.Major > runtime.Major)
            throw new ClusterRequestException(
                $"'{fileName}' targets .NET {framework.Version} ({targetFramework}), but the cluster runs on .NET {runtime}. Build the job for net{runtime.Major}.0 or lower, or run the cluster on .NET {framework.Version.Major}.");
    }

    /// <summary>The value of the assembly's [TargetFramework] attribute (e.g. ".NETCoreApp,Version=v10.0"), or null.</summary>
    private static string? ReadTargetFramework(MetadataReader metadata)
    {
        foreach (var handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = metadata.GetCustomAttribute(handle);
            if (!IsTargetFrameworkAttribute(metadata, attribute)) continue;
            // Blob: prolog 0x0001, then the constructor's one string argument.
            var blob = metadata.GetBlobReader(attribute.Value);
            if (blob.Length < 2 || blob.ReadUInt16() != 1) return null;
            return blob.ReadSerializedString();
        }
        return null;
    }

    private static bool IsTargetFrameworkAttribute(MetadataReader metadata, CustomAttribute attribute)
    {
        // The attribute's type is referenced from the framework, so its constructor is a MemberReference whose parent
        // is a TypeReference; anything else is not the framework's attribute.
        if (attribute.Constructor.Kind != HandleKind.MemberReference) return false;
        var constructor = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
        if (constructor.Parent.Kind != HandleKind.TypeReference) return false;
        var type = metadata.GetTypeReference((TypeReferenceHandle)constructor.Parent);
        return metadata.StringComparer.Equals(type.Name, "TargetFrameworkAttribute")
               && metadata.StringComparer.Equals(type.Namespace, "System.Runtime.Versioning");
    }
}
