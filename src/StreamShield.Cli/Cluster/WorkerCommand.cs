using System.CommandLine;
using System.Runtime.InteropServices;
using StreamShield.Cluster.Worker;

namespace StreamShield.Cli.Cluster;

/// <summary>`streamshield worker`: runs a worker process until SIGTERM or Ctrl+C.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var coordinator = new Option<string>("--coordinator") { Description = "The coordinator's control address HOST:PORT.", DefaultValueFactory = _ => "127.0.0.1:6123" };
        var slots = new Option<int>("--slots") { Description = "Slots this worker offers (each holds one subtask of every vertex of a job).", DefaultValueFactory = _ => 1 };
        var bind = new Option<string>("--bind") { Description = "Address of this worker's data port (loopback by default).", DefaultValueFactory = _ => "127.0.0.1" };
        var dataPort = new Option<int>("--data-port") { Description = "Data port for channels from other workers (0 picks a free one).", DefaultValueFactory = _ => 0 };
        var workDir = new Option<string?>("--work-dir") { Description = "Directory for job artifacts and spilled data (default: a temporary directory removed on exit)." };
        var token = new Option<string?>("--token") { Description = "The cluster token, if the coordinator requires one. Prefer the STREAMSHIELD_TOKEN environment variable: a command-line value is visible to other users in `ps`." };
        var coordinatorTimeout = new Option<double>("--coordinator-timeout") { Description = "Seconds to keep trying a coordinator that cannot be reached (at start or after losing it) before exiting with code 4; 0 waits forever.", DefaultValueFactory = _ => 300 };
        var command = new Command("worker", "Run a worker: registers with the coordinator, runs the subtasks it is given, serves a data port for channels to other workers.")
        {
            coordinator, slots, bind, dataPort, workDir, token, coordinatorTimeout,
        };
        command.SetAction(r =>
        {
            var address = r.GetValue(coordinator)!;
            var colon = address.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(address[(colon + 1)..], out var port) || port is < 1 or > 65535)
                throw new ArgumentException($"--coordinator '{address}' must be HOST:PORT, the coordinator's control port (e.g. 127.0.0.1:6123).");
            if (r.GetValue(slots) < 1) throw new ArgumentException("--slots must be at least 1.");
            var options = new WorkerOptions(address[..colon], port, r.GetValue(slots), r.GetValue(token) ?? Environment.GetEnvironmentVariable("STREAMSHIELD_TOKEN"),
                r.GetValue(bind)!, r.GetValue(dataPort), r.GetValue(workDir),
                r.GetValue(coordinatorTimeout) is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null);
            using var stop = new CancellationTokenSource();
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
            using var host = new WorkerHost(options);
            try
            {
                host.Run(stop.Token);
            }
            catch (RegistrationRefusedException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 3;
            }
            catch (CoordinatorUnreachableException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 4;
            }
            return 0;
        });
        return command;
    }
}
