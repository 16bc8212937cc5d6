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
    }

    /// <summary>The reason and the field violations of a refusal, e.g. one carried in a PublishUpdates answer.</summary>
    public static void PrintDetails(Google.Rpc.Status status, TextWriter output)
    {
        if (status.GetDetail<ErrorInfo>() is { } info)
        {
            output.WriteLine($"  reason: {info.Reason}");
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
