using Gateway.Tests.Shared;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;

namespace Gateway.Cli.Demo.Situations;

/// <summary>
/// DESIGN.md 1.2: the ministry asks Russia, Thailand and the United States to locate and provisionally arrest a
/// fugitive. The gateway resolves each country: RU and US to their competent agencies, Thailand (no direct channel) to
/// the liaison office posted in Bangkok. Russia reports the arrest back to the ministry, and the ministry, the
/// fugitive returned, withdraws the request everywhere.
/// </summary>
internal sealed class FugitiveSituation : ISituation
{
    private const string Case = "CN-MPS-2026-0107";

    private static readonly string[] Targets = ["RU/MVD", "CN/PLO-TH", "US/FBI"];

    public string Title => "Fugitive location request to three countries, a report back and the withdrawal";

    public IReadOnlyList<string> Agencies => ["CN/MPS", .. Targets];

    public async Task<IReadOnlyList<SentMessage>> PlayAsync(DemoAgencies agencies, DemoNetwork network, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine("The ministry asks RU, TH and US to locate and provisionally arrest a fugitive (red notice A-1234/5-2026).");
        var header = DemoAgencies.Header("CN/MPS", Case, Priority.Urgent, HandlingCode.H0, "RU", "TH", "US");
        header.LegalBasis = new LegalBasis { Kind = LegalBasisKind.InterpolChannel, Reference = "INTERPOL red notice channel" };
        var request = new RequestLocationRequest { Header = header, Request = Samples.FugitiveLocation(["RU", "TH", "US"]) };
        var sentRequest = await agencies.SendAsync(
            "location request", header, async agency => (await agency.Fugitives.RequestLocationAsync(request, agency.Options)).Receipt, cancellationToken);
        if (!sentRequest.Receipt!.ResolvedRecipients.SequenceEqual(Targets))
        {
            throw new DemoException($"The location request was resolved to {string.Join(", ", sentRequest.Receipt.ResolvedRecipients)}, expected {string.Join(", ", Targets)} (Thailand through the liaison office).");
        }

        foreach (var target in Targets)
        {
            await agencies.ExpectDeliveryAsync(network[target], sentRequest, "location_request", cancellationToken);
        }

        output.WriteLine("Russian police arrest the fugitive in Moscow and report back.");
        var reportHeader = DemoAgencies.Header("RU/MVD", Case, Priority.Urgent, HandlingCode.H0);
        reportHeader.Language = "ru";
        var report = new ReportLocationRequest
        {
            Header = reportHeader,
            Report = new LocationReport
            {
                RequestMessageId = header.MessageId,
                Outcome = LocationOutcome.ProvisionallyArrested,
                Location = new Location { Country = "RU", Place = "Moscow" },
                ObservedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            },
        };
        var sentReport = await agencies.SendAsync(
            "location report", reportHeader, async agency => (await agency.Fugitives.ReportLocationAsync(report, agency.Options)).Receipt, cancellationToken);
        await agencies.ExpectDeliveryAsync(network["CN/MPS"], sentReport, "location_report", cancellationToken);

        output.WriteLine("The fugitive is returned: the ministry withdraws the request everywhere it went.");
        var withdrawal = new WithdrawRequestRequest
        {
            Header = DemoAgencies.Header("CN/MPS", Case, Priority.Urgent, HandlingCode.H0),
            Withdrawal = new Withdrawal { RequestMessageId = header.MessageId, Reason = WithdrawalReason.Returned },
        };
        var sentWithdrawal = await agencies.SendAsync(
            "withdrawal", withdrawal.Header, async agency => (await agency.Fugitives.WithdrawRequestAsync(withdrawal, agency.Options)).Receipt, cancellationToken);
        foreach (var target in Targets)
        {
            await agencies.ExpectDeliveryAsync(network[target], sentWithdrawal, "withdrawal", cancellationToken);
        }

        return [sentRequest, sentReport, sentWithdrawal];
    }
}
