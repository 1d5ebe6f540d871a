using System.Diagnostics;
using System.Globalization;

namespace StreamShield.Cli.Bench;

/// <summary>
/// The peak resident memory of this process while a measured run lasts. On Linux: the kernel's high-water mark
/// (<c>VmHWM</c> in /proc/self/status), reset at the start by writing 5 to /proc/self/clear_refs, so no peak between
/// samples is missed. Elsewhere (or when the reset is refused): the working set sampled every 20 ms.
/// </summary>
internal sealed class PeakMemory : IDisposable
{
    private readonly Process _process = Process.GetCurrentProcess();
    private readonly Timer? _sampler;
    private long _sampledPeak;

    private PeakMemory(bool useHighWaterMark)
    {
        if (useHighWaterMark) return;
        Sample();
        _sampler = new Timer(_ => Sample(), null, 20, 20);
    }

    /// <summary>Starts measuring: resets the kernel's high-water mark, or starts the sampler.</summary>
    public static PeakMemory Start() => new(TryResetHighWaterMark());

    /// <summary>How the peak is measured, for reports.</summary>
    public string Method => _sampler is null ? "VmHWM" : "working set sampled every 20 ms";

    /// <summary>The peak resident bytes since <see cref="Start"/>.</summary>
    public long Peak
    {
        get
        {
            if (_sampler is null && ReadHighWaterMark() is { } hwm) return hwm;
            Sample();
            return Interlocked.Read(ref _sampledPeak);
        }
    }

    private static bool TryResetHighWaterMark()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return ReadHighWaterMark() is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long? ReadHighWaterMark()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return null;
    }

    private void Sample()
    {
        lock (_process)
        {
            _process.Refresh();
            var ws = _process.WorkingSet64;
            if (ws > _sampledPeak) Interlocked.Exchange(ref _sampledPeak, ws);
        }
    }

    public void Dispose() => _sampler?.Dispose();
}
