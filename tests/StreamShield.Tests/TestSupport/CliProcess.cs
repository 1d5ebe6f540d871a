using System.Diagnostics;
using System.Text;
using StreamShield.Tests.Cluster.Integration;

namespace StreamShield.Tests;

/// <summary>What a finished CLI process printed, and its exit code.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>
/// The built <c>streamshield</c> CLI as a real process (<c>dotnet streamshield.dll ...</c>), with its output captured.
/// STREAMSHIELD_TOKEN and STREAMSHIELD_COORDINATOR are removed from its environment unless the test sets them.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    // Generous: one CLI process takes a few seconds, but the machine has 2 cores and other tests run alongside.
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private CliProcess(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(LocalClusterProcesses.CliPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("STREAMSHIELD_TOKEN");
        psi.Environment.Remove("STREAMSHIELD_COORDINATOR");
        if (environment is not null) foreach (var (k, v) in environment) psi.Environment[k] = v;
        Args = args;
        _process = new Process { StartInfo = psi };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Args { get; }
    public int Pid => _process.Id;

    public string Stdout
    {
        get { lock (_stdout) return _stdout.ToString(); }
    }

    /// <summary>Starts the CLI and returns at once.</summary>
    public static CliProcess Start(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null) => new(args, environment);

    /// <summary>Runs the CLI to its end (killed, and the test failed, after the timeout).</summary>
    public static CliRun Run(params string[] args) => Run(args, null);

    /// <param name="context">What else to show when the process does not end in time (for example a cluster's logs).</param>
    public static CliRun Run(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment, TimeSpan? timeout = null, Func<string>? context = null)
    {
        using var process = Start(args, environment);
        return process.WaitForExit(timeout ?? DefaultTimeout, context);
    }

    /// <summary>Waits for the process to end and returns what it printed; kills it and fails the test after <paramref name="timeout"/>.</summary>
    public CliRun WaitForExit(TimeSpan timeout, Func<string>? context = null)
    {
        if (!_process.WaitForExit(timeout))
        {
            try { _process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
            _process.WaitForExit();
            Assert.Fail($"streamshield {string.Join(' ', Args)} did not end within {timeout.TotalSeconds:0} s.\n{Result()}\n{context?.Invoke()}");
        }
        // The parameterless wait also waits for the redirected streams to be read to their end.
        _process.WaitForExit();
        return Result();
    }

    private CliRun Result()
    {
        lock (_stdout) lock (_stderr) return new CliRun(_process.HasExited ? _process.ExitCode : -1, _stdout.ToString(), _stderr.ToString());
    }

    /// <summary>Waits until the process printed <paramref name="text"/> on stdout; fails the test if it exits first or the timeout passes.</summary>
    public void WaitForOutput(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Stdout.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited) Assert.Fail($"streamshield {string.Join(' ', Args)} ended before printing '{text}'.\n{WaitForExit(timeout)}");
            if (DateTime.UtcNow > deadline) Assert.Fail($"streamshield {string.Join(' ', Args)} did not print '{text}' within {timeout.TotalSeconds:0} s.\n{Result()}");
            Thread.Sleep(50);
        }
    }

    /// <summary>Waits until the process printed <paramref name="text"/> on stderr (where logs go); fails the test otherwise.</summary>
    public void WaitForStderr(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_stderr) if (_stderr.ToString().Contains(text, StringComparison.Ordinal)) return;
            if (_process.HasExited) Assert.Fail($"streamshield {string.Join(' ', Args)} ended before logging '{text}'.\n{WaitForExit(timeout)}");
            if (DateTime.UtcNow > deadline) Assert.Fail($"streamshield {string.Join(' ', Args)} did not log '{text}' within {timeout.TotalSeconds:0} s.\n{Result()}");
            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
