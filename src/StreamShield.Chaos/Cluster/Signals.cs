using System.Runtime.InteropServices;

namespace StreamShield.Chaos.Cluster;

/// <summary>POSIX signals to processes: how the harness kills (SIGKILL), hangs (SIGSTOP) and resumes (SIGCONT) workers.</summary>
internal static class Signals
{
    public const int Kill = 9;
    public const int Stop = 19;
    public const int Continue = 18;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; throws if it cannot.</summary>
    public static void Send(int pid, int signal)
    {
        if (SysKill(pid, signal) != 0)
            throw new InvalidOperationException($"kill -{signal} {pid} failed (errno {Marshal.GetLastPInvokeError()}).");
    }
}
