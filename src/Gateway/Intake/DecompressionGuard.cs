using System.IO.Compression;
using Gateway.Audit;
using Grpc.AspNetCore.Server;
using Grpc.Net.Compression;
using Microsoft.Extensions.Options;

namespace Gateway.Intake;

/// <summary>
/// Wraps each of gRPC's compression providers so that a message flagged compressed that does not decompress is
/// refused INTERNAL (as the gRPC specification says of a message the server cannot decompress) through the
/// <see cref="RefusalBoundary"/> (<see cref="TransportRefusal.Undecompressable"/>), instead of the UNKNOWN and error log
/// of the decoder's <see cref="InvalidDataException"/> thrown inside grpc-dotnet. The providers are shared by every call:
/// the call being decoded is the current request of the <see cref="IHttpContextAccessor"/>.
/// </summary>
public sealed class DecompressionGuard(IHttpContextAccessor calls) : IPostConfigureOptions<GrpcServiceOptions>
{
    public void PostConfigure(string? name, GrpcServiceOptions options)
    {
        var providers = options.CompressionProviders;
        for (var i = 0; i < providers.Count; i++)
        {
            if (providers[i] is not GuardedProvider)
            {
                providers[i] = new GuardedProvider(providers[i], calls);
            }
        }
    }

    private sealed class GuardedProvider(ICompressionProvider provider, IHttpContextAccessor calls) : ICompressionProvider
    {
        public string EncodingName => provider.EncodingName;

        public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
            provider.CreateCompressionStream(stream, compressionLevel);

        public Stream CreateDecompressionStream(Stream stream) =>
            new GuardedStream(provider.CreateDecompressionStream(stream), provider.EncodingName, calls.HttpContext);
    }

    /// <summary>Reads through the decoder; its failure to decode becomes the refusal. Never echoes a byte of the body.</summary>
    private sealed class GuardedStream(Stream decoder, string encoding, HttpContext? call) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            try
            {
                return decoder.Read(buffer);
            }
            catch (InvalidDataException)
            {
                throw RefusalBoundary.Refuse(call, TransportRefusal.Undecompressable(encoding));
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                decoder.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
