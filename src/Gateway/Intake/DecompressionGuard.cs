using System.IO.Compression;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Net.Compression;
using Microsoft.Extensions.Options;

namespace Gateway.Intake;

/// <summary>
/// Wraps each of gRPC's compression providers so that a message flagged compressed that does not decompress is
/// refused INTERNAL (as the gRPC specification says of a message the server cannot decompress) with the reason
/// <see cref="TransportRefusal.Undecompressable"/>, instead of the UNKNOWN and error log of the decoder's
/// <see cref="InvalidDataException"/> thrown inside grpc-dotnet.
/// </summary>
public sealed class DecompressionGuard : IPostConfigureOptions<GrpcServiceOptions>
{
    public void PostConfigure(string? name, GrpcServiceOptions options)
    {
        var providers = options.CompressionProviders;
        for (var i = 0; i < providers.Count; i++)
        {
            if (providers[i] is not GuardedProvider)
            {
                providers[i] = new GuardedProvider(providers[i]);
            }
        }
    }

    private sealed class GuardedProvider(ICompressionProvider provider) : ICompressionProvider
    {
        public string EncodingName => provider.EncodingName;

        public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
            provider.CreateCompressionStream(stream, compressionLevel);

        public Stream CreateDecompressionStream(Stream stream) =>
            new GuardedStream(provider.CreateDecompressionStream(stream), provider.EncodingName);
    }

    /// <summary>Reads through the decoder; its failure to decode becomes the refusal. Never echoes a byte of the body.</summary>
    private sealed class GuardedStream(Stream decoder, string encoding) : Stream
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
                throw TransportRefusal.Exception(
                    StatusCode.Internal,
                    TransportRefusal.Undecompressable,
                    $"The message is flagged compressed with '{encoding}' but does not decompress; send it uncompressed, or compressed correctly.");
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
