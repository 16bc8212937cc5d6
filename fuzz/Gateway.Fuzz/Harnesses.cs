using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Messages;
using Interagency.V1;

namespace Gateway.Fuzz;

/// <summary>One fuzz target: the bytes of one agency-facing request type, through intake as the gateway runs it.</summary>
internal sealed record Harness(string Name, Func<IntakePath, byte[], Verdict> Run);

/// <summary>
/// A target per request message an agency sends to the gateway. Nothing here may run code of the instrumented assemblies
/// (generated types' static constructors included) before SharpFuzz has set up the coverage map, so every target builds
/// what it needs on its first input.
/// </summary>
internal static class Harnesses
{
    public static readonly IReadOnlyList<Harness> All =
    [
        Unary("referral", MessageKind.Referral, "CN/PLO-RU"),
        Unary("location-request", MessageKind.LocationRequest, "CN/MPS"),
        Unary("location-report", MessageKind.LocationReport, "RU/MVD"),
        Unary("withdrawal", MessageKind.Withdrawal, "CN/MPS"),
        Unary("hold-release", MessageKind.HoldRelease, "RU/MVD"),
        Unary("hold-cancel", MessageKind.HoldCancellation, "CN/PLO-RU"),

        // One message of a PublishUpdates stream: UpdatePublication validates each update itself, then prepares it.
        Unary("case-update", MessageKind.CaseUpdate, "CN/FJPSD"),

        // A subscription has no business rules: the schema check, then the two values the subscription reads before the store.
        new("subscribe", (path, bytes) =>
        {
            var request = SubscribeRequest.Parser.ParseFrom(bytes);
            if (!path.PassesSchema("/interagency.v1.CaseUpdateService/Subscribe", request, AgencyId.Parse("RU/MVD")))
            {
                return Verdict.SchemaRefused;
            }

            _ = request.CaseReferences.ToArray();
            _ = (long)Math.Min(request.AfterSequence, long.MaxValue);
            return Verdict.Prepared;
        }),
    ];

    public static Harness? Find(string name) => All.FirstOrDefault(h => h.Name == name);

    /// <summary>The request type and RPC of <paramref name="kind"/> come from Core's table, read on the first input.</summary>
    private static Harness Unary(string name, MessageKind kind, string defaultCaller) =>
        new(name, (path, bytes) =>
        {
            var entry = KindRequests.For(kind);
            var request = entry.Parser.ParseFrom(bytes);
            var rpc = entry.Rpc ?? throw new InvalidOperationException($"{kind} is made by the gateway, never submitted.");
            return path.Submit(rpc, kind, request, entry.HeaderOf(request), AgencyId.Parse(defaultCaller));
        });
}
