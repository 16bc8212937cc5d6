using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.Core.Trace;
using Interagency.V1;

namespace Gateway.Trace;

/// <summary>
/// Which events of the flow a WatchFlow call is sent: those of messages its viewer may see (<see cref="TraceVisibility"/>)
/// that match its filter. A refusal of an id never stored belongs to no case or kind: it is shown, unfiltered by them, to
/// operators and to the agency refused.
/// </summary>
public sealed class FlowFilter(WatchFlowRequest request, TraceViewer viewer)
{
    public bool Matches(FlowEntry flow)
    {
        var entry = flow.Entry;
        if (!TraceVisibility.Shows(viewer, entry))
        {
            return false;
        }

        if (request.Status != DeliveryStatus.Unspecified
            && (FlowStates.LeftBy(entry.Kind, entry.Details) is not { } state || TraceWire.ToStatus(state) != request.Status))
        {
            return false;
        }

        if (flow.Message is not { } message)
        {
            return TraceVisibility.MaySeeUnstored(viewer, entry)
                && (request.Agency.Length == 0 || entry.Actor == request.Agency)
                && request.CaseReference.Length == 0
                && request.Kind.Length == 0;
        }

        return TraceVisibility.MaySee(viewer, message.Sender, message.Recipients)
            && (request.Agency.Length == 0 || message.Sender == request.Agency || message.Recipients.Contains(request.Agency))
            && (request.CaseReference.Length == 0 || message.CaseReference == request.CaseReference)
            && (request.Kind.Length == 0 || message.Kind.ToString() == request.Kind);
    }

    public static WatchFlowResponse ToResponse(FlowEntry flow) =>
        new()
        {
            Event = TraceWire.ToEvent(flow.Entry),
            Kind = flow.Message?.Kind.ToString() ?? string.Empty,
            CaseReference = flow.Message?.CaseReference ?? string.Empty,
            Sender = flow.Message?.Sender ?? string.Empty,
        };
}
