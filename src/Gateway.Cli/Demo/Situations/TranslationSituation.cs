using Gateway.Tests.Shared;
using Interagency.V1;

namespace Gateway.Cli.Demo.Situations;

/// <summary>
/// DESIGN.md 1.3: the Argentine federal police, investigating a gang with Chinese members, refer the case to the
/// ministry for evidence translation, then ask on the case's update stream for a seized recording in Chinese to be
/// translated into Spanish. The ministry's translation and its answer to the referral go back to Argentina only.
/// The route agreements let a foreign partner refer a case to a domestic agency, not the other way round, so the
/// referral goes from AR/PFA and the answers come back to it.
/// </summary>
internal sealed class TranslationSituation : ISituation
{
    private const string Case = "AR-PFA-2026-0031";
    private const string Evidence = "EV-2026-0007";

    public string Title => "Evidence translation between the Argentine federal police and the ministry";

    public IReadOnlyList<string> Agencies => ["AR/PFA", "CN/MPS"];

    public async Task<IReadOnlyList<SentMessage>> PlayAsync(DemoAgencies agencies, DemoNetwork network, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine("AR/PFA refers its investigation of a gang with Chinese members to the ministry, asking for evidence translation.");
        var referral = new SubmitReferralRequest { Header = Header("AR/PFA", "CN/MPS"), Referral = GangReferral() };
        var sentReferral = await agencies.SendAsync(
            "referral", referral.Header, async agency => (await agency.Referrals.SubmitReferralAsync(referral, agency.Options)).Receipt, cancellationToken);
        await agencies.ExpectDeliveryAsync(network["CN/MPS"], sentReferral, "referral", cancellationToken);

        output.WriteLine($"On the case's update stream, AR/PFA asks for the seized recording {Evidence} to be translated from Chinese into Spanish.");
        var request = new PublishUpdatesRequest
        {
            Header = Header("AR/PFA"),
            Update = new CaseUpdate { Translation = new TranslationRequest { EvidenceReference = Evidence, SourceLanguage = "zh", TargetLanguage = "es" } },
        };
        var sentRequest = await agencies.PublishAsync("translation request", request, cancellationToken);
        await agencies.ExpectDeliveryAsync(network["CN/MPS"], sentRequest, "case_update", cancellationToken);

        output.WriteLine("The ministry sends the translation, then answers the referral: both go to AR/PFA alone.");
        var result = new PublishUpdatesRequest
        {
            Header = Header("CN/MPS"),
            Update = new CaseUpdate
            {
                TranslationResult = new TranslationResult
                {
                    RequestMessageId = request.Header.MessageId,
                    SourceEvidenceReference = Evidence,
                    TranslatedEvidenceReference = Evidence + "-ES",
                    Language = "es",
                },
            },
        };
        var sentResult = await agencies.PublishAsync("translation result", result, cancellationToken);
        await agencies.ExpectDeliveryAsync(network["AR/PFA"], sentResult, "case_update", cancellationToken);

        var answer = new AnswerReferralRequest
        {
            Header = Header("CN/MPS"),
            Answer = new ReferralAnswer { ReferralMessageId = referral.Header.MessageId, Outcome = ReferralOutcome.ActionTaken, Remarks = $"translation sent as {Evidence}-ES" },
        };
        var sentAnswer = await agencies.SendAsync(
            "referral answer", answer.Header, async agency => (await agency.Referrals.AnswerReferralAsync(answer, agency.Options)).Receipt, cancellationToken);
        await agencies.ExpectDeliveryAsync(network["AR/PFA"], sentAnswer, "referral_answer", cancellationToken);
        return [sentReferral, sentRequest, sentResult, sentAnswer];
    }

    // H2 (no onward dissemination without permission) is the most a foreign partner's route allows.
    private static Header Header(string sender, params string[] recipients)
    {
        var header = DemoAgencies.Header(sender, Case, Priority.Urgent, HandlingCode.H2, recipients);
        header.Language = sender == "AR/PFA" ? "es" : "zh";
        return header;
    }

    private static CaseReferral GangReferral()
    {
        var suspect = Samples.Accomplice();
        suspect.Role = PersonRole.Suspect;
        suspect.LastKnownLocation = new Location { Country = "AR", Place = "Buenos Aires" };
        return new CaseReferral
        {
            Summary = "Gang with Chinese members under investigation in Buenos Aires; seized telephone recordings are in Chinese.",
            Offence = new Offence { Description = "drug trafficking", Character = OffenceCharacter.Ordinary },
            Subjects = { suspect },
            RequestedActions = { RequestedAction.TranslateEvidence },
        };
    }
}
