using System.Security.Cryptography;
using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Gateway.Delivery;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Streams;

/// <summary>
/// Commits case updates straight through the server's store and signals them, as the host does after a commit; stands in
/// for PublishUpdates.
/// </summary>
public sealed class FeedWriter(GatewayServer server)
{
    /// <summary>Commits one evidence update of <paramref name="caseReference"/> to <paramref name="recipients"/>; returns its message id.</summary>
    public async Task<string> PublishAsync(string caseReference, string[] recipients, int descriptionLength = 64)
    {
        var header = Samples.Header("AR/PFA", recipients);
        header.CaseReference = caseReference;
        var request = new PublishUpdatesRequest
        {
            Header = header,
            Update = new CaseUpdate
            {
                Evidence = new EvidenceItem { Reference = "EV-" + header.MessageId[..8], Description = new string('x', descriptionLength), Language = "zh" },
            },
        };
        var payload = request.ToByteArray();
        var result = await server.Store.AcceptAsync(
            new NewMessage(
                header.MessageId,
                MessageKind.CaseUpdate,
                caseReference,
                AgencyId.Parse(header.Sender),
                recipients.Select(AgencyId.Parse).ToArray(),
                SHA256.HashData(payload),
                payload,
                DateTimeOffset.UtcNow,
                MessageState.Accepted,
                DeliveryState.Pending),
            CancellationToken.None);
        Assert.True(result.Applied);
        server.Services.GetRequiredService<UpdateFeedSignal>().Notify();
        return header.MessageId;
    }

    public async Task<List<string>> PublishManyAsync(int count, string caseReference, string[] recipients, int descriptionLength = 64)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await PublishAsync(caseReference, recipients, descriptionLength));
        }

        return ids;
    }
}
