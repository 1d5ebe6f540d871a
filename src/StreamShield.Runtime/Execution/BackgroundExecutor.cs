using System.Collections.Concurrent;

namespace StreamShield.Runtime.Execution;

/// <summary>
/// A dedicated background thread running queued work in order. The runtime's own coordination (checkpoint
/// ticks, asynchronous snapshot writes) must not depend on the shared thread pool, which a host application can
/// starve; a job owns its threads.
/// </summary>
internal sealed class BackgroundExecutor : IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();
    private readonly Thread _thread;
    private readonly Action<Exception> _onError;

    public BackgroundExecutor(string name, Action<Exception> onError)
    {
        _onError = onError;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public void Execute(Action work)
    {
        try { _queue.Add(work); }
        catch (InvalidOperationException) { } // shut down: the job is over
    }

    private void Run()
    {
        foreach (var work in _queue.GetConsumingEnumerable())
        {
            try { work(); }
            catch (Exception e) { _onError(e); }
        }
    }

    public void Dispose() => _queue.CompleteAdding();
}
