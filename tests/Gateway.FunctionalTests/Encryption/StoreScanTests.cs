using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.FunctionalTests.Operations;
using Gateway.Storage.Sqlite;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.FunctionalTests.Encryption;

/// <summary>
/// Referrals naming persons go through the real gateway, and the reasons callers give for reading them name persons
/// too; the store's database file and its WAL, read as raw bytes, hold none of the names, document numbers, summaries
/// or reasons, while the gateway still shows each referral as sent and each reason in the message's timeline.
/// </summary>
public sealed class StoreScanTests : IAsyncLifetime
{
    private const int Referrals = 20;

    private readonly GatewayServer _server = new()
    {
        ExtraArguments =
        [
            "--Gateway:Encryption:ActiveKey=k1",
            "--Gateway:Encryption:Keys:0:Id=k1",
            $"--Gateway:Encryption:Keys:0:Value={DataKey.Generate("k1").ToBase64()}",
        ],
    };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task The_database_file_and_its_wal_hold_no_name_document_number_or_summary_of_the_referrals_carried()
    {
        var referrals = new ReferralService.ReferralServiceClient(_server.Channel);
        var sent = Enumerable.Range(0, Referrals).Select(SealedReferrals.Create).ToArray();
        foreach (var referral in sent)
        {
            await referrals.SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
        }

        // Operators and agencies type names too: into the reason for reading content, and into a search's case filter.
        var trace = new TraceService.TraceServiceClient(_server.Channel);
        var reasons = new List<string>();
        for (var n = 0; n < Referrals; n++)
        {
            var (reason, caller) = n % 2 == 0
                ? ($"checking the referral as sent for {SealedReferrals.PersonalValues(n)[0]}", GatewayServer.As("CN/PLO-RU"))
                : ($"duty check: is {SealedReferrals.PersonalValues(n)[1]} the same person?", OperatorFixtures.AsOperator());
            var shown = await trace.GetMessageContentAsync(new GetMessageContentRequest { MessageId = sent[n].Header.MessageId, Reason = reason }, caller);
            Assert.Equal(sent[n], shown.Content.Unpack<SubmitReferralRequest>());
            reasons.Add(reason);
        }

        var searchedName = SealedReferrals.PersonalValues(0)[0];
        var found = await trace.SearchMessagesAsync(new SearchMessagesRequest { Filter = new MessageFilter { CaseReference = searchedName } }, OperatorFixtures.AsOperator());
        Assert.Empty(found.Messages);

        var path = _server.Services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.Path;
        var personal = Enumerable.Range(0, Referrals).SelectMany(SealedReferrals.PersonalValues).Concat(reasons).ToArray();
        var walWhileServing = StoreFileScan.WalLength(path);
        var foundWhileServing = StoreFileScan.Find(path, personal);

        // What is kept in clear on purpose is found: the scan sees what the gateway wrote.
        Assert.Equal([SealedReferrals.CaseReference], StoreFileScan.Find(path, [SealedReferrals.CaseReference]));
        Assert.True(walWhileServing > 0);
        Assert.Empty(foundWhileServing);

        // The gateway, which holds the key, still shows each reason in the message's timeline, as typed.
        for (var n = 0; n < Referrals; n++)
        {
            var timeline = await trace.GetMessageTraceAsync(new GetMessageTraceRequest { MessageId = sent[n].Header.MessageId }, OperatorFixtures.AsOperator());
            Assert.Equal(reasons[n], Assert.Single(timeline.Events, e => e.Kind == AuditKinds.MessageConsulted).Justification);
        }

        // The search is on record, its case filter not: an operator may paste a name where a case reference belongs.
        var searches = await _server.Store.ReadAuditAsync(default)
            .Where(r => r.Kind == AuditKinds.OperatorCall && r.Details.Rpc == "/interagency.v1.TraceService/SearchMessages")
            .ToListAsync();
        Assert.StartsWith("case=(not a case reference) ", Assert.Single(searches).Details.Scope, StringComparison.Ordinal);

        // After shutdown the WAL has been copied into the database file: still nothing.
        await _server.StopAsync();
        Assert.Empty(StoreFileScan.Find(path, personal));
    }
}
