using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Gateway.Tests.Shared.Postgres;

/// <summary>
/// A throwaway PostgreSQL server for one test that stops and starts it: the shared test server cannot be stopped while
/// other tests use it. Its own cluster (initdb) in a temporary directory, listening on a free 127.0.0.1 port with its own
/// socket directory, removed on dispose. Set up as <c>scripts/lib/postgres.sh</c> sets up the CI server: run as the
/// <c>postgres</c> user when the test runs as root (PostgreSQL refuses root), fsync on (a stop must mean what it says),
/// and small: a few megabytes of shared buffers.
/// </summary>
internal sealed class PrivatePostgresServer : IAsyncDisposable
{
    private const string Role = "liaison";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private readonly string _bin;
    private readonly string _base;
    private readonly int _port;
    private int _disposed;

    private PrivatePostgresServer(string bin, string @base, int port, string password)
    {
        _bin = bin;
        _base = @base;
        _port = port;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = Role,
            Password = password,
            Database = "postgres",
        }.ConnectionString;
    }

    /// <summary>The directory holding initdb, pg_ctl and postgres, or null when this machine has no PostgreSQL server.</summary>
    public static string? BinDirectory { get; } = FindBinDirectory();

    /// <summary>Why a test needing a private server cannot run here, or null when it can.</summary>
    public static string? SkipReason => BinDirectory is null
        ? "PostgreSQL's server binaries (initdb, pg_ctl, postgres) were not found under /usr/lib/postgresql/*/bin or on PATH: install PostgreSQL (CI does)"
        : null;

    /// <summary>The superuser's connection to the <c>postgres</c> database, over TCP with a password.</summary>
    public string ConnectionString { get; }

    /// <summary>The server's log, for a failing test's message.</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : string.Empty;

    private string DataPath => Path.Combine(_base, "data");

    private string LogPath => Path.Combine(_base, "server.log");

    /// <summary>Creates the cluster and starts it.</summary>
    public static async Task<PrivatePostgresServer> StartAsync()
    {
        var bin = BinDirectory ?? throw new InvalidOperationException(SkipReason);
        var @base = Directory.CreateTempSubdirectory("liaison-private-postgres-").FullName;
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var server = new PrivatePostgresServer(bin, @base, FreePort(), password);
        try
        {
            Directory.CreateDirectory(Path.Combine(@base, "socket"));
            var passwordFile = Path.Combine(@base, "password");
            // Readable by others only through the base directory, which is the owner's alone (mode 700).
            File.WriteAllText(passwordFile, password);
            if (Environment.IsPrivilegedProcess)
            {
                await RunAsync("chown", ["-R", "postgres:", @base]);
            }

            await server.RunAsOwnerAsync(
                "initdb", "-D", server.DataPath, "-U", Role, "--pwfile", passwordFile, "--encoding=UTF8", "--locale=C",
                "--auth-local=peer", "--auth-host=scram-sha-256");
            File.Delete(passwordFile);
            await File.AppendAllTextAsync(Path.Combine(server.DataPath, "postgresql.conf"), $"""

                # Private server of one test (tests/Shared/Postgres/PrivatePostgresServer.cs)
                listen_addresses = '127.0.0.1'
                unix_socket_directories = '{Path.Combine(@base, "socket")}'
                fsync = on
                shared_buffers = 16MB
                """);
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// <c>pg_ctl stop -m immediate</c>: every server process quits at once, without a checkpoint, as in a crash; what was
    /// committed is in the WAL, and the next start recovers it.
    /// </summary>
    public Task StopImmediatelyAsync() => RunAsOwnerAsync("pg_ctl", "stop", "-D", DataPath, "-m", "immediate", "-w", "-t", "60", "-s");

    /// <summary>Starts the server (again) on its port, returning once it accepts connections (after recovery, if it crashed).</summary>
    public Task StartAgainAsync() =>
        RunAsOwnerAsync("pg_ctl", "start", "-D", DataPath, "-l", LogPath, "-o", $"-p {_port}", "-w", "-t", "60", "-s");

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // This process's pooled connections to it would otherwise be handed to the next server on the port.
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (File.Exists(Path.Combine(DataPath, "postmaster.pid")))
            {
                await StopImmediatelyAsync();
            }
        }
        finally
        {
            Directory.Delete(_base, recursive: true);
        }
    }

    private static string? FindBinDirectory()
    {
        var versioned = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0, Bin: Path.Combine(d, "bin")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Bin)
            : [];
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return versioned.Concat(onPath)
            .FirstOrDefault(d => new[] { "initdb", "pg_ctl", "postgres" }.All(b => File.Exists(Path.Combine(d, b))));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Runs a server binary as the user the server runs as: <c>postgres</c> under root, else the caller.</summary>
    private Task RunAsOwnerAsync(string binary, params string[] args) =>
        Environment.IsPrivilegedProcess
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, binary), .. args])
            : RunAsync(Path.Combine(_bin, binary), args);

    private static async Task RunAsync(string program, string[] args)
    {
        // From / : the postgres user may not be allowed into the test's working directory.
        var start = new ProcessStartInfo(program, args) { WorkingDirectory = "/", RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(CommandTimeout);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await errors}");
        }
    }
}
