using Gateway.Core.Agencies;
using Grpc.Core;

namespace Gateway.Limits;

/// <summary>
/// A client stream whose every message takes a token of its agency's bucket, as a call would. The message over the rate
/// ends the stream with RESOURCE_EXHAUSTED and RetryInfo; the services answer what they read before it.
/// </summary>
public sealed class AdmittedReader<T>(IAsyncStreamReader<T> inner, AgencyRateLimits limits, ServerCallContext context, AgencyId agency)
    : IAsyncStreamReader<T>
{
    public T Current => inner.Current;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (!await inner.MoveNext(cancellationToken))
        {
            return false;
        }

        limits.Admit(context, agency);
        return true;
    }
}
