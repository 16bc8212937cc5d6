using Gateway.Audit;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Gateway.Intake;

/// <summary>Turns a refusal into a gRPC status with <c>google.rpc.BadRequest</c> field violations.</summary>
public static class RefusalStatus
{
    public static RpcException ToException(CallRefusal refusal) => ToStatus(refusal).ToRpcException();

    public static Google.Rpc.Status ToStatus(CallRefusal refusal)
    {
        var status = new Google.Rpc.Status { Code = (int)refusal.Code, Message = refusal.Message };
        if (refusal.Violations.Count > 0)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(refusal.Violations.Select(v =>
                new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
            status.Details.Add(Any.Pack(badRequest));
        }

        if (refusal.RetryDelay is { } delay)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }));
        }

        status.Details.Add(ReasonDetail(refusal.Reason));
        return status;
    }

    /// <summary>The <c>google.rpc.ErrorInfo</c> every refusal of the gateway carries: its reason in upper case, the gateway's domain.</summary>
    private static Any ReasonDetail(string reason) => Any.Pack(new ErrorInfo { Reason = reason.ToUpperInvariant(), Domain = "liaison-gateway" });
}
