using Google.Rpc;
using Grpc.Core;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>Checks a refused call's status code and its google.rpc.BadRequest field violations.</summary>
public static class StatusAssert
{
    /// <summary>For refusals made by gRPC itself, before the gateway's code runs: a code and a message, no details.</summary>
    public static async Task<RpcException> RefusedByTransport(Func<Task> call, StatusCode code)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, error.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Status.Detail));
        return error;
    }

    public static async Task<Google.Rpc.Status> Refused(Func<Task> call, StatusCode code, string? field = null)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, error.StatusCode);
        var status = error.GetRpcStatus();
        Assert.True(status is not null, "refusals by the gateway carry a google.rpc.Status");
        if (field is not null)
        {
            var badRequest = status.GetDetail<BadRequest>();
            Assert.NotNull(badRequest);
            Assert.Contains(field, badRequest.FieldViolations.Select(v => v.Field));
            Assert.All(badRequest.FieldViolations, v => Assert.False(string.IsNullOrWhiteSpace(v.Description)));
        }

        return status;
    }
}
