using System.Runtime.CompilerServices;

// The CLI project's assembly is named `streamshield` (AssemblyName in StreamShield.Cli.csproj), so the csproj's
// <InternalsVisibleTo Include="StreamShield.Cli" /> does not reach it; the CLI needs RestClient and JobPackager.
// TODO(lead): move this into StreamShield.Cluster.csproj as <InternalsVisibleTo Include="streamshield" />.
[assembly: InternalsVisibleTo("streamshield")]
