using System.Net;
using System.Net.Http.Headers;

namespace Gateway.FunctionalTests.Intake;

/// <summary>
/// A gRPC call made by hand over HTTP/2 (prior knowledge, no TLS), for bodies a gRPC client would never send: broken
/// frame headers, a compressed flag with a body that is not compressed.
/// </summary>
public sealed class RawGrpcCall : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler());

    /// <summary>Posts <paramref name="body"/> as is to <paramref name="path"/> and returns the call's grpc-status and grpc-message.</summary>
    public async Task<(int Status, string Message)> SendAsync(string address, string path, byte[] body, params (string Name, string Value)[] headers)
    {
        // HTTP/2 exactly: over http:// that is prior knowledge, which Kestrel's HTTP/2-only endpoint expects.
        using var request = new HttpRequestMessage(HttpMethod.Post, address + path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Trailers-only responses carry the status in their headers; others in their trailers.
        var fields = response.Headers.Contains("grpc-status") ? response.Headers : response.TrailingHeaders;
        var status = int.Parse(fields.GetValues("grpc-status").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var message = fields.TryGetValues("grpc-message", out var values) ? Uri.UnescapeDataString(values.Single()) : string.Empty;
        return (status, message);
    }

    /// <summary>An HTTP/2 GET that is no gRPC call at all; returns the HTTP status.</summary>
    public async Task<HttpStatusCode> SendPlainAsync(string address, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, address + path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await _client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>
    /// Starts a call, sends the first <paramref name="sent"/> bytes of <paramref name="body"/> without ending the request,
    /// then cancels it (RST_STREAM): a client that gives up before the gateway could answer.
    /// </summary>
    public async Task CancelAfterAsync(string address, string path, byte[] body, int sent, params (string Name, string Value)[] headers)
    {
        using var cancel = new CancellationTokenSource();
        var content = new PartialContent(body[..sent]);
        using var request = new HttpRequestMessage(HttpMethod.Post, address + path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var call = _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        await content.Sent.Task;
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>A request body that sends its bytes and then never ends, until the request is cancelled.</summary>
    private sealed class PartialContent(byte[] bytes) : HttpContent
    {
        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(bytes, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            Sent.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
