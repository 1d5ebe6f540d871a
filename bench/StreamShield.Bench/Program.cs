using System.Globalization;
using StreamShield.Bench;

// StreamShield benchmarks. Usage: bench/run.sh [all|passthrough|window|state|faults|diag|micro] [--seconds N] [--repeat N] [--out FILE]
var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
var seconds = Option("--seconds", 20);
var repeat = Option("--repeat", 3);
var warmup = TimeSpan.FromSeconds(3);
var measure = TimeSpan.FromSeconds(seconds);
var report = new Report();

if (mode is "all" or "passthrough")
{
    report.Add("pass-through, hand-written loop (1 thread)", Repeat(() => Measurement.RunLoop("loop", Jobs.PassThroughLoop, measure)));
    report.Add("pass-through, p=2, no checkpoints", Repeat(() => Measurement.RunJob("pt", Jobs.PassThrough(false), warmup, measure)));
    report.Add("pass-through, p=2, exactly-once checkpoints every 10 s", Repeat(() => Measurement.RunJob("pt-cp", Jobs.PassThrough(true), warmup, measure)));
}
if (mode is "all" or "window")
{
    report.Add("keyed window count, hand-written loop (1 thread)", Repeat(() => Measurement.RunLoop("loop", Jobs.WindowCountLoop, measure)));
    report.Add("keyed window count, p=2, no checkpoints", Repeat(() => Measurement.RunJob("wc", Jobs.WindowCount(false), warmup, measure)));
    report.Add("keyed window count, p=2, exactly-once checkpoints every 10 s", Repeat(() => Measurement.RunJob("wc-cp", Jobs.WindowCount(true), warmup, measure)));
}
if (mode is "timers") report.Add("keyBy → process with a timer per record, p=2", Repeat(() => Measurement.RunJob("keyed-timers", Jobs.KeyedTimers(false), warmup, measure)));
if (mode is "micro") Console.WriteLine(Micro.Run());
if (mode is "diag")
{
    report.Add("rebalance → map, p=2", Repeat(() => Measurement.RunJob("rebalance", Jobs.Rebalanced(false), warmup, measure)));
    report.Add("keyBy → reduce, p=2", Repeat(() => Measurement.RunJob("keyed-reduce", Jobs.KeyedReduce(false), warmup, measure)));
    report.Add("keyBy → process with a timer per record, p=2", Repeat(() => Measurement.RunJob("keyed-timers", Jobs.KeyedTimers(false), warmup, measure)));
}
if (mode is "all" or "faults")
{
    var armed = new Dictionary<string, string> { ["fault.task.process"] = "throw:after=9000000000000" };
    report.Add("pass-through, p=2, fault points disarmed", Repeat(() => Measurement.RunJob("pt", Jobs.PassThrough(false), warmup, measure)));
    report.Add("pass-through, p=2, task.process armed (never fires)", Repeat(() => Measurement.RunJob("pt-armed", Jobs.PassThrough(false, armed), warmup, measure)));
}
if (mode is "all" or "state") report.AddText(StateMemory.Compare(1_000_000));
report.Print(OptionText("--out"));

string? OptionText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

List<Measurement> Repeat(Func<Measurement> run)
{
    var list = new List<Measurement>();
    for (var i = 0; i < repeat; i++)
    {
        var m = run();
        Console.Error.WriteLine($"  {m.Name}: {m.RecordsPerSecond:N0} rec/s, {m.RecordsPerCoreSecond:N0} rec/s per core, peak {m.PeakWorkingSetBytes / 1048576} MiB, {m.AllocatedBytesPerRecord:0.00} B allocated/record, checkpoints {m.CheckpointsCompleted}");
        list.Add(m);
        GC.Collect();
    }
    return list;
}
