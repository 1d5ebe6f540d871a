using System.Net.Sockets;

namespace StreamShield.Cluster.Transport;

/// <summary>
/// A listening port of this process could not be bound because another process holds it. <see cref="Role"/> says
/// which port it was ("control port", "REST port", "data port"), so the command line can name its option.
/// </summary>
public sealed class PortInUseException(string role, string host, int port, Exception inner)
    : IOException($"The {role} {host}:{port} is already in use by another process", inner)
{
    /// <summary>Which of the process's ports: "control port", "REST port" or "data port".</summary>
    public string Role { get; } = role;
    public string Host { get; } = host;
    public int Port { get; } = port;

    /// <summary>True if <paramref name="e"/> (or an exception inside it) says the address is taken.</summary>
    internal static bool IsAddressInUse(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }) return true;
            // Kestrel wraps it: "Failed to bind to address http://...: address already in use."
            if (x is IOException && x.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
