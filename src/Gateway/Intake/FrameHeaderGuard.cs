using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Gateway.Audit;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Intake;

/// <summary>
/// Checks each gRPC frame header before grpc-dotnet reads it. grpc-dotnet throws a plain exception for a
/// compressed-flag byte other than 0 or 1 and for a length above 2^31-1, which it answers UNKNOWN and logs as an error
/// of the service; both are the client's fault, refused here through the <see cref="RefusalBoundary"/> as the gRPC
/// specification says (INTERNAL for the flag, RESOURCE_EXHAUSTED for the length; see <see cref="TransportRefusal"/>).
/// Lengths within that range but over the receive limit are left to grpc-dotnet, which refuses them RESOURCE_EXHAUSTED
/// itself.
/// </summary>
public sealed class FrameHeaderGuardMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (IsGrpc(context.Request.ContentType))
        {
            context.Features.Set<IRequestBodyPipeFeature>(new FrameHeaderGuard(context, context.Request.BodyReader));
        }

        return next(context);
    }

    /// <summary>application/grpc and its +suffixes; not gRPC-Web, whose text variant is base64 and has no frame bytes to read.</summary>
    private static bool IsGrpc(string? contentType) =>
        contentType is not null
        && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
        && (contentType.Length == "application/grpc".Length || contentType["application/grpc".Length] is '+' or ';');
}

/// <summary>
/// The request body as grpc-dotnet reads it, refusing a broken frame header. grpc-dotnet consumes whole frames only,
/// so every buffer it is given starts with the header of the next frame: that one header is checked, and the frames
/// after it are left for their turn, so that the messages before a broken frame are still read and answered.
/// </summary>
internal sealed class FrameHeaderGuard(HttpContext call, PipeReader inner) : PipeReader, IRequestBodyPipeFeature
{
    private const int HeaderSize = 5;

    /// <summary>The guard is also the feature that hands it to grpc-dotnet: one object per call, not two.</summary>
    public PipeReader Reader => this;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        // Most reads of a unary body complete at once: no state machine for those.
        var read = inner.ReadAsync(cancellationToken);
        return read.IsCompletedSuccessfully ? ValueTask.FromResult(Checked(read.Result)) : CheckedAsync(read);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        result = Checked(result);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    private async ValueTask<ReadResult> CheckedAsync(ValueTask<ReadResult> read) => Checked(await read);

    private ReadResult Checked(ReadResult result)
    {
        var buffer = result.Buffer;
        if (buffer.Length < HeaderSize)
        {
            return result;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        var refusal = header[0] > 1
            ? TransportRefusal.MalformedFrame
            : BinaryPrimitives.ReadUInt32BigEndian(header[1..]) > int.MaxValue ? TransportRefusal.MessageTooLarge : null;
        if (refusal is null)
        {
            return result;
        }

        // The read ends here, not in grpc-dotnet: give the buffer back so the body can be completed after the call.
        inner.AdvanceTo(buffer.Start, buffer.End);
        throw RefusalBoundary.Refuse(call, refusal);
    }
}
