using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Gateway.Cli.Connection;
using Gateway.Cli.Output;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gateway.Cli;

/// <summary>One run of a command: its parsed options, where it prints, and the channel and identity it calls with.</summary>
internal sealed class CliContext : IDisposable
{
    // The development identity: the gateway believes these headers (loopback only). In production mode the client
    // certificate names the agency and a bearer token the operator.
    public const string AgencyHeader = "x-liaison-agency";
    public const string OperatorHeader = "x-liaison-operator";
    public const string AuthorizationHeader = "authorization";

    // A gateway that does not answer within this time is reported as such instead of leaving the shell hanging.
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);

    private readonly GlobalOptions _global;
    private GrpcChannel? _channel;
    private X509Certificate2? _clientCertificate;

    private CliContext(ParseResult parse, GlobalOptions global, CancellationToken cancellation)
    {
        Parse = parse;
        _global = global;
        Cancellation = cancellation;
        Out = parse.InvocationConfiguration.Output;
        Error = parse.InvocationConfiguration.Error;
        Json = parse.GetValue(global.Json);
    }

    public ParseResult Parse { get; }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>Print responses as proto JSON, one document a line, instead of text.</summary>
    public bool Json { get; }

    /// <summary>Cancelled by Ctrl+C (or a test), which ends a stream with exit code 0.</summary>
    public CancellationToken Cancellation { get; }

    public GrpcChannel Channel => _channel ??= OpenChannel();

    /// <summary>Runs <paramref name="action"/> as the command's action, with a context that is disposed after it.</summary>
    public static void Bind(Command command, GlobalOptions global, Func<CliContext, Task<int>> action) =>
        command.SetAction(async (parse, cancellation) =>
        {
            using var context = new CliContext(parse, global, cancellation);
            return await action(context);
        });

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T Get<T>(Argument<T> argument) => Parse.GetRequiredValue(argument);

    /// <summary>The calling agency: --as, or the command's default.</summary>
    public string Caller(string defaultAgency) => Parse.GetValue(_global.As) ?? defaultAgency;

    /// <summary>A call as <paramref name="agency"/>; a stream (<paramref name="streaming"/>) runs for as long as the caller wants, with no deadline.</summary>
    public CallOptions AsAgency(string agency, bool streaming = false) =>
        new(new Metadata { { AgencyHeader, agency } }, streaming ? null : DateTime.UtcNow + CallDeadline, Cancellation);

    /// <summary>A call that names no caller (the health check).</summary>
    public CallOptions Anonymous() => new(deadline: DateTime.UtcNow + CallDeadline, cancellationToken: Cancellation);

    /// <summary>A call as the operator: the bearer token of --token (or its variable) when there is one, else the header of --operator.</summary>
    public CallOptions AsOperator(bool streaming = false) =>
        new(OperatorMetadata(), streaming ? null : DateTime.UtcNow + CallDeadline, Cancellation);

    /// <summary>A trace call: as the agency of --as when given (an agency sees its own messages), else as the operator.</summary>
    public CallOptions ForTrace(bool streaming = false) =>
        Parse.GetValue(_global.As) is { } agency ? AsAgency(agency, streaming) : AsOperator(streaming);

    public void WriteJson(IMessage message) => Out.WriteLine(ProtoJson.Formatter.Format(message));

    public void Dispose()
    {
        _channel?.Dispose();
        _clientCertificate?.Dispose();
    }

    private Metadata OperatorMetadata()
    {
        var token = Parse.GetValue(_global.Token) ?? Environment.GetEnvironmentVariable(GlobalOptions.TokenVariable);
        if (string.IsNullOrWhiteSpace(token))
        {
            return new Metadata { { OperatorHeader, Parse.GetValue(_global.Operator) ?? GlobalOptions.DefaultOperator } };
        }

        // The token's subject is the operator; a second name beside it could only disagree.
        return Parse.GetValue(_global.Operator) is null
            ? new Metadata { { AuthorizationHeader, $"Bearer {token.Trim()}" } }
            : throw new UsageException("--operator is for the development gateway's header: with a token the operator is the token's subject");
    }

    private GrpcChannel OpenChannel()
    {
        var address = Parse.GetValue(_global.Gateway) ?? GlobalOptions.DefaultGateway;
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"--gateway '{address}' is not an http:// or https:// address");
        }

        var tls = GatewayChannel.Resolve(
            Parse.GetValue(_global.Ca)?.FullName,
            Parse.GetValue(_global.Cert)?.FullName,
            Parse.GetValue(_global.Key)?.FullName,
            Parse.GetValue(_global.Profile)?.FullName,
            Parse.GetValue(_global.As));
        return GatewayChannel.Open(uri, tls, out _clientCertificate);
    }
}
