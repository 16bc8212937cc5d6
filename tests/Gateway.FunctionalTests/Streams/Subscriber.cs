using Gateway.FunctionalTests.Infrastructure;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Interagency.V1;

namespace Gateway.FunctionalTests.Streams;

/// <summary>A Subscribe call as a client holds it, reading one update at a time with a bounded wait.</summary>
public sealed class Subscriber : IDisposable
{
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    private readonly AsyncServerStreamingCall<SubscribeResponse> _call;

    public Subscriber(GrpcChannel channel, string agency, ulong afterSequence = 0, params string[] cases)
    {
        var request = new SubscribeRequest { AfterSequence = afterSequence, CaseReferences = { cases } };
        _call = new CaseUpdateService.CaseUpdateServiceClient(channel).Subscribe(request, GatewayServer.As(agency));
    }

    public async Task<SubscribeResponse> NextAsync()
    {
        var read = _call.ResponseStream.MoveNext(CancellationToken.None);
        var finished = await Task.WhenAny(read, Task.Delay(ReadTimeout));
        Assert.True(finished == read, $"no update within {ReadTimeout}");
        Assert.True(await read, "the stream ended without a status");
        return _call.ResponseStream.Current;
    }

    public async Task<List<SubscribeResponse>> NextAsync(int count)
    {
        var updates = new List<SubscribeResponse>();
        for (var i = 0; i < count; i++)
        {
            updates.Add(await NextAsync());
        }

        return updates;
    }

    /// <summary>Reads every update left on the stream until it ends with an error status; returns both.</summary>
    public async Task<(List<SubscribeResponse> Updates, RpcException End)> DrainAsync()
    {
        var updates = new List<SubscribeResponse>();
        try
        {
            while (true)
            {
                updates.Add(await NextAsync());
            }
        }
        catch (RpcException end)
        {
            return (updates, end);
        }
    }

    /// <summary>The <c>resume_after_sequence</c> of the ErrorInfo of a status that ended a subscription.</summary>
    public static ulong ResumeAfter(RpcException end, string reason)
    {
        var info = end.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal(reason, info.Reason);
        return ulong.Parse(info.Metadata["resume_after_sequence"], System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose() => _call.Dispose();
}
