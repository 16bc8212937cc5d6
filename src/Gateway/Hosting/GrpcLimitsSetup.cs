using Gateway.Operations;
using Gateway.Services;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>
/// Applies the message size limits of <see cref="ServerLimits"/>: one per gateway service, and the global one for the
/// rest (health, reflection). gRPC takes a service's own limit over the global one.
/// </summary>
public sealed class GrpcLimitsSetup(IOptions<ServerLimits> limits) :
    IConfigureOptions<GrpcServiceOptions>,
    IConfigureOptions<GrpcServiceOptions<ReferralGrpcService>>,
    IConfigureOptions<GrpcServiceOptions<FugitiveGrpcService>>,
    IConfigureOptions<GrpcServiceOptions<CaseUpdateGrpcService>>,
    IConfigureOptions<GrpcServiceOptions<OperationsGrpcService>>
{
    public void Configure(GrpcServiceOptions options) => options.MaxReceiveMessageSize = limits.Value.OtherMaxMessageBytes;

    public void Configure(GrpcServiceOptions<ReferralGrpcService> options) => options.MaxReceiveMessageSize = limits.Value.ReferralMaxMessageBytes;

    public void Configure(GrpcServiceOptions<FugitiveGrpcService> options) => options.MaxReceiveMessageSize = limits.Value.FugitiveMaxMessageBytes;

    public void Configure(GrpcServiceOptions<CaseUpdateGrpcService> options) => options.MaxReceiveMessageSize = limits.Value.CaseUpdateMaxMessageBytes;

    public void Configure(GrpcServiceOptions<OperationsGrpcService> options) => options.MaxReceiveMessageSize = limits.Value.OperationsMaxMessageBytes;
}
