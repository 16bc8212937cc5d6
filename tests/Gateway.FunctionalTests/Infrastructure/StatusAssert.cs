using Google.Rpc;
using Grpc.Core;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>Checks a refused call's status code and its google.rpc.BadRequest field violations.</summary>
public static class StatusAssert
{
    public static async Task<Google.Rpc.Status> Refused(Func<Task> call, StatusCode code, string? field = null)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, error.StatusCode);
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
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
