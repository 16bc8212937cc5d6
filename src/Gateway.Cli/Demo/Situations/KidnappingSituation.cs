using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Cli.Demo.Situations;

/// <summary>
/// DESIGN.md 1.1: a businessman kidnapped in Russia. The liaison office in Moscow refers two accomplices to Fujian
/// police, who get it at once to prepare but must not arrest before Russian police free the victim; a release from
/// anyone but RU/MVD is refused; RU/MVD's release reaches Fujian and the liaison office.
/// </summary>
internal sealed class KidnappingSituation : ISituation
{
    public string Title => "Kidnapping in Moscow: arrest in Fujian held until Russian police free the victim";

    public IReadOnlyList<string> Agencies => ["CN/PLO-RU", "CN/FJPSD", "CN/MPS", "RU/MVD"];

    public async Task<IReadOnlyList<SentMessage>> PlayAsync(DemoAgencies agencies, DemoNetwork network, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine("The liaison office in Moscow refers two accomplices to Fujian police: prepare now, arrest only once RU/MVD says so.");
        var referral = new SubmitReferralRequest
        {
            Header = DemoAgencies.Header("CN/PLO-RU", Samples.KidnappingCase, Priority.ImmediateLifeAtRisk, HandlingCode.H0, "CN/FJPSD"),
            Referral = Samples.KidnappingReferral(),
        };
        var sentReferral = await agencies.SendAsync(
            "referral", referral.Header, async agency => (await agency.Referrals.SubmitReferralAsync(referral, agency.Options)).Receipt, cancellationToken);
        await agencies.ExpectDeliveryAsync(network["CN/FJPSD"], sentReferral, "referral", cancellationToken, flag: "prepare_only");

        output.WriteLine("The ministry tries to release the hold: only the party the referral names may.");
        var wrongRelease = Release("CN/MPS", referral);
        var refused = await agencies.SendRefusedAsync(
            "hold release", wrongRelease.Header, StatusCode.PermissionDenied, async agency => (await agency.Referrals.ReleaseHoldAsync(wrongRelease, agency.Options)).Receipt, cancellationToken);

        output.WriteLine("Russian police free the victim and arrest the four kidnappers, then release the hold.");
        var release = Release("RU/MVD", referral);
        var sentRelease = await agencies.SendAsync(
            "hold release", release.Header, async agency => (await agency.Referrals.ReleaseHoldAsync(release, agency.Options)).Receipt, cancellationToken);
        await agencies.ExpectDeliveryAsync(network["CN/FJPSD"], sentRelease, "hold_release", cancellationToken);
        await agencies.ExpectDeliveryAsync(network["CN/PLO-RU"], sentRelease, "hold_release", cancellationToken);
        return [sentReferral, refused, sentRelease];
    }

    private static ReleaseHoldRequest Release(string sender, SubmitReferralRequest referral) =>
        new()
        {
            Header = DemoAgencies.Header(sender, referral.Header.CaseReference, Priority.ImmediateLifeAtRisk, HandlingCode.H0),
            Release = new HoldRelease { ReferralMessageId = referral.Header.MessageId, Remarks = "victim freed by Russian police, four kidnappers arrested" },
        };
}
