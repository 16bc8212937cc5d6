using Gateway.Core.Encryption;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Storage.Sqlite;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.FunctionalTests.Encryption;

/// <summary>
/// Referrals naming persons go through the real gateway; the store's database file and its WAL, read as raw bytes,
/// hold none of their names, document numbers or summaries, while the gateway still shows each referral as sent.
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

        var path = _server.Services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.Path;
        var personal = Enumerable.Range(0, Referrals).SelectMany(SealedReferrals.PersonalValues).ToArray();
        var walWhileServing = StoreFileScan.WalLength(path);
        var foundWhileServing = StoreFileScan.Find(path, personal);

        // What is kept in clear on purpose is found: the scan sees what the gateway wrote.
        Assert.Equal([SealedReferrals.CaseReference], StoreFileScan.Find(path, [SealedReferrals.CaseReference]));
        Assert.True(walWhileServing > 0);
        Assert.Empty(foundWhileServing);

        var trace = new TraceService.TraceServiceClient(_server.Channel);
        foreach (var referral in sent)
        {
            var shown = await trace.GetMessageContentAsync(
                new GetMessageContentRequest { MessageId = referral.Header.MessageId, Reason = "checking the referral as sent" },
                GatewayServer.As("CN/PLO-RU"));
            Assert.Equal(referral, shown.Content.Unpack<SubmitReferralRequest>());
        }

        // After shutdown the WAL has been copied into the database file: still nothing.
        await _server.StopAsync();
        Assert.Empty(StoreFileScan.Find(path, personal));
    }
}
