using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Bench.Cluster;

/// <summary>
/// nginx from Debian's packages as the non-durable proxy a user would otherwise put between agencies: started here in
/// the foreground (<c>daemon off;</c>) from a generated configuration in a temporary directory, listening for HTTP/2
/// without TLS on a free loopback port and forwarding every call with <c>grpc_pass</c> to one upstream.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly DirectoryInfo _directory;

    private NginxProxy(Process process, DirectoryInfo directory, int port)
    {
        _process = process;
        _directory = directory;
        Address = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
    }

    public string Address { get; }

    /// <summary>Why nginx cannot be measured here, or null when it can.</summary>
    public static string? MissingReason => File.Exists(Binary) ? null : $"{Binary} not found: install nginx from Debian's packages (apt-get install nginx-light or nginx)";

    /// <summary>nginx's version line, for the report.</summary>
    public static async Task<string> VersionAsync()
    {
        using var version = Process.Start(new ProcessStartInfo(Binary, ["-v"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var line = await version.StandardError.ReadToEndAsync();
        await version.WaitForExitAsync();
        return line.Trim();
    }

    /// <param name="upstream">The gRPC server (h2c) it forwards to, e.g. <c>http://127.0.0.1:40123</c>.</param>
    public static async Task<NginxProxy> StartAsync(string upstream)
    {
        var directory = Directory.CreateTempSubdirectory("gateway-bench-nginx-");
        var port = FreePort();
        var target = new Uri(upstream);
        var configuration = Path.Combine(directory.FullName, "nginx.conf");
        await File.WriteAllTextAsync(configuration, Configuration(directory.FullName, port, target));

        // -e: its start-up errors go to the temporary directory too, not to /var/log/nginx.
        var start = new ProcessStartInfo(Binary, ["-p", directory.FullName + "/", "-c", configuration, "-e", Path.Combine(directory.FullName, "error.log")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        var proxy = new NginxProxy(process, directory, port);
        try
        {
            await proxy.WaitUntilListeningAsync(port);
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Two workers (one per core, what <c>auto</c> gives here); upstream connections kept open (nginx carries one call
    /// per upstream HTTP/2 connection, so without <c>keepalive</c> every call would open one); no access log; a client
    /// connection never closed after a number of calls, as the gateway's is not.
    /// </summary>
    private static string Configuration(string directory, int port, Uri upstream) => string.Create(CultureInfo.InvariantCulture, $$"""
        daemon off;
        worker_processes auto;
        pid {{directory}}/nginx.pid;
        error_log {{directory}}/error.log warn;
        events { worker_connections 4096; }
        http {
            access_log off;
            client_body_temp_path {{directory}}/client_body;
            proxy_temp_path {{directory}}/proxy;
            fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi;
            scgi_temp_path {{directory}}/scgi;
            upstream noop {
                server {{upstream.Host}}:{{upstream.Port}};
                keepalive 128;
            }
            server {
                listen 127.0.0.1:{{port}} http2;
                keepalive_requests 100000000;
                location / {
                    grpc_pass grpc://noop;
                }
            }
        }
        """);

    private async Task WaitUntilListeningAsync(int port)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with code {_process.ExitCode} before it listened: {await _process.StandardError.ReadToEndAsync()} {ErrorLog()}");
            }

            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (started.Elapsed < StartTimeout)
            {
                await Task.Delay(50);
            }
        }
    }

    private string ErrorLog()
    {
        var log = Path.Combine(_directory.FullName, "error.log");
        return File.Exists(log) ? File.ReadAllText(log) : string.Empty;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>SIGTERM to the master, which ends its workers; the whole tree killed if it does not stop in time.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await term.WaitForExitAsync();
                }

                await _process.WaitForExitAsync().WaitAsync(StopTimeout);
            }
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
            _directory.Delete(recursive: true);
        }
    }
}
