using Gateway.Core.Intake;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Gateway.Intake;

/// <summary>Turns a refusal into a gRPC status with <c>google.rpc.BadRequest</c> field violations.</summary>
public static class RefusalStatus
{
    private static readonly HashSet<Grpc.Core.StatusCode> IntakeCodes = System.Enum.GetValues<RefusalCode>().Select(ToCode).ToHashSet();

    /// <summary>True for the codes intake refusals are given; intake audits those itself.</summary>
    public static bool IsIntakeCode(Grpc.Core.StatusCode code) => IntakeCodes.Contains(code);

    public static RpcException ToException(IntakeRefusal refusal) => ToStatus(refusal).ToRpcException();

    public static Google.Rpc.Status ToStatus(IntakeRefusal refusal)
    {
        var status = new Google.Rpc.Status { Code = (int)ToCode(refusal.Code), Message = refusal.Message };
        if (refusal.Violations.Count > 0)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(refusal.Violations.Select(v =>
                new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
            status.Details.Add(Any.Pack(badRequest));
        }

        status.Details.Add(ReasonDetail(refusal.Reason));
        return status;
    }

    /// <summary>The <c>google.rpc.ErrorInfo</c> every refusal of the gateway carries: its reason in upper case, the gateway's domain.</summary>
    public static Any ReasonDetail(string reason) => Any.Pack(new ErrorInfo { Reason = reason.ToUpperInvariant(), Domain = "liaison-gateway" });

    private static Grpc.Core.StatusCode ToCode(RefusalCode code) => code switch
    {
        RefusalCode.InvalidArgument => Grpc.Core.StatusCode.InvalidArgument,
        RefusalCode.PermissionDenied => Grpc.Core.StatusCode.PermissionDenied,
        RefusalCode.NotFound => Grpc.Core.StatusCode.NotFound,
        RefusalCode.AlreadyExists => Grpc.Core.StatusCode.AlreadyExists,
        RefusalCode.Unauthenticated => Grpc.Core.StatusCode.Unauthenticated,
        RefusalCode.FailedPrecondition => Grpc.Core.StatusCode.FailedPrecondition,
        _ => Grpc.Core.StatusCode.Internal,
    };
}
