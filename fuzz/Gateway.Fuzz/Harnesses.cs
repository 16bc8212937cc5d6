using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Google.Protobuf;
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
        Unary<SubmitReferralRequest>("referral", "/interagency.v1.ReferralService/SubmitReferral", MessageKind.Referral, r => r.Header, "CN/PLO-RU"),
        Unary<RequestLocationRequest>("location-request", "/interagency.v1.FugitiveService/RequestLocation", MessageKind.LocationRequest, r => r.Header, "CN/MPS"),
        Unary<ReportLocationRequest>("location-report", "/interagency.v1.FugitiveService/ReportLocation", MessageKind.LocationReport, r => r.Header, "RU/MVD"),
        Unary<WithdrawRequestRequest>("withdrawal", "/interagency.v1.FugitiveService/WithdrawRequest", MessageKind.Withdrawal, r => r.Header, "CN/MPS"),
        Unary<ReleaseHoldRequest>("hold-release", "/interagency.v1.ReferralService/ReleaseHold", MessageKind.HoldRelease, r => r.Header, "RU/MVD"),
        Unary<CancelHoldRequest>("hold-cancel", "/interagency.v1.ReferralService/CancelHold", MessageKind.HoldCancellation, r => r.Header, "CN/PLO-RU"),

        // One message of a PublishUpdates stream: UpdatePublication validates each update itself, then prepares it.
        Unary<PublishUpdatesRequest>("case-update", "/interagency.v1.CaseUpdateService/PublishUpdates", MessageKind.CaseUpdate, r => r.Header, "CN/FJPSD"),

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

    private static Harness Unary<T>(string name, string rpc, MessageKind kind, Func<T, Header?> header, string defaultCaller)
        where T : IMessage<T>, new() =>
        new(name, (path, bytes) =>
        {
            var request = Parser<T>.Instance.ParseFrom(bytes);
            return path.Submit(rpc, kind, request, header(request), AgencyId.Parse(defaultCaller));
        });

    private static class Parser<T>
        where T : IMessage<T>, new()
    {
        public static readonly MessageParser<T> Instance = new(() => new T());
    }
}
