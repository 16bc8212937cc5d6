using Google.Rpc;
using Grpc.Core;

namespace Gateway.Cli.Output;

/// <summary>
/// What the gateway said when it refused a call and, from the google.rpc.Status details, every field it found at fault:
/// the violations are the actionable part of a refusal.
/// </summary>
internal static class ErrorPrinter
{
    public static void Print(RpcException error, TextWriter output)
    {
        output.WriteLine(error.Status.Detail.Length > 0 ? $"error: {error.StatusCode}: {error.Status.Detail}" : $"error: {error.StatusCode}");
        if (error.GetRpcStatus() is { } status)
        {
            PrintDetails(status, output);
        }

        if (Causes(error.Status.DebugException).OfType<System.Security.Authentication.AuthenticationException>().Any())
        {
            // The exception names neither side's certificate, so the line says what both must be.
            output.WriteLine("  TLS handshake failed: the gateway's certificate must chain to --ca (or --profile's CA) and name the host of --gateway; "
                + "a gateway in MutualTls mode also needs a client certificate it trusts (--cert and --key, or --profile with --as)");
        }
    }

    private static IEnumerable<Exception> Causes(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            yield return error;
        }
    }

    /// <summary>The reason and the field violations of a refusal, e.g. one carried in a PublishUpdates answer.</summary>
    public static void PrintDetails(Google.Rpc.Status status, TextWriter output)
    {
        if (status.GetDetail<ErrorInfo>() is { } info)
        {
            output.WriteLine($"  reason: {info.Reason}");
        }

        // A limit's refusal says when the bucket has room again; a script retrying sooner is only refused again.
        if (status.GetDetail<RetryInfo>() is { RetryDelay: { } delay })
        {
            output.WriteLine($"  retry after: {delay.ToTimeSpan().TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s");
        }

        if (status.GetDetail<BadRequest>() is { } badRequest)
        {
            foreach (var violation in badRequest.FieldViolations)
            {
                output.WriteLine($"  {violation.Field}: {violation.Description}");
            }
        }
    }
}
