using System.Text;
using Gateway.PartnerSim.Hosting;

namespace Gateway.PartnerSim.Inbox;

/// <summary>received.log: appended by the inbox writer and by refusals, flushed once per batch of lines.</summary>
public sealed class ReceivedLog : IDisposable
{
    private readonly Lock _gate = new();
    private readonly StreamWriter _writer;
    private readonly ILogger<ReceivedLog> _logger;

    public ReceivedLog(PartnerSimOptions options, ILogger<ReceivedLog> logger)
    {
        _logger = logger;
        Directory.CreateDirectory(options.DataDirectory);
        var file = new FileStream(options.ReceivedLogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _writer = new StreamWriter(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
    }

    /// <summary>Writes the lines and flushes them; a failure is logged, never thrown, since the inbox is the record that counts.</summary>
    public void Append(IEnumerable<string> lines)
    {
        try
        {
            lock (_gate)
            {
                foreach (var line in lines)
                {
                    _writer.WriteLine(line);
                }

                _writer.Flush();
            }
        }
        catch (IOException exception)
        {
            PartnerSimLog.ReceivedLogFailed(_logger, exception);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }
}
