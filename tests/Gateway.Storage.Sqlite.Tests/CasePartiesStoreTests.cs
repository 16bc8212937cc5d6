using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>The memberships of cases filled in for a file written before cases had owners; writing and reading them is the stores' contract (CasePartiesContract).</summary>
public sealed class CasePartiesStoreTests
{
    [Fact]
    public async Task A_store_written_before_cases_had_owners_gets_one_case_per_reference_owned_by_its_first_sender()
    {
        await using var temp = new TempStore();
        var referral = StoreSamples.Message(null, "CASE-OLD", recipients: ["CN/FJPSD"]);
        var later = StoreSamples.Message(null, "CASE-OLD", recipients: ["RU/MVD"]) with { Sender = AgencyId.Parse("CN/MPS") };
        await temp.Store.AcceptAsync(referral, default);
        await temp.Store.AcceptAsync(later, default);

        // What an older gateway left: no owner column, no memberships.
        await temp.ReopenAsync(path =>
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE case_parties; ALTER TABLE messages DROP COLUMN case_owner; DROP TABLE changelog;";
            command.ExecuteNonQuery();
        });

        Assert.Equal(
            [Party("CN/FJPSD"), Party("CN/MPS"), Party("CN/PLO-RU"), Party("RU/MVD")],
            await temp.Store.GetCasePartiesAsync("CASE-OLD", default));
        Assert.Equal("CN/PLO-RU", (await temp.Store.FindMessageAsync(later.MessageId, default))!.CaseOwner);
    }

    private static CaseParty Party(string party) => new("CN/PLO-RU", party);
}
