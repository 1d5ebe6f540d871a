using System.Diagnostics;

namespace StreamShield.Cli.Bench;

/// <summary>Samples the process working set while a run lasts, so each run reports its own peak.</summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Process _process = Process.GetCurrentProcess();
    private readonly Timer _timer;
    private long _peak;

    public MemorySampler()
    {
        Sample();
        _timer = new Timer(_ => Sample(), null, 20, 20);
    }

    public long Peak
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak);
        }
    }

    private void Sample()
    {
        lock (_process)
        {
            _process.Refresh();
            var ws = _process.WorkingSet64;
            if (ws > _peak) Interlocked.Exchange(ref _peak, ws);
        }
    }

    public void Dispose() => _timer.Dispose();
}
