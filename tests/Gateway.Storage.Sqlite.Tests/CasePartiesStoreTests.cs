using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>The store's memberships of cases: written as Core decides them, read back per reference, and filled in for an older file.</summary>
public sealed class CasePartiesStoreTests
{
    [Fact]
    public async Task The_parties_of_a_case_include_an_agency_added_after_they_were_first_read()
    {
        await using var temp = new TempStore();
        var opening = Opening("CASE-P", "CN/FJPSD");
        await temp.Store.AcceptAsync(opening, default);
        Assert.Equal("CN/PLO-RU", (await temp.Store.FindMessageAsync(opening.MessageId, default))!.CaseOwner);
        Assert.Equal([Party("CN/FJPSD"), Party("CN/PLO-RU")], await temp.Store.GetCasePartiesAsync("CASE-P", default));

        await temp.Store.AcceptAsync(Opening("CASE-P", "RU/MVD") with { JoiningParties = [AgencyId.Parse("RU/MVD")] }, default);

        Assert.Equal([Party("CN/FJPSD"), Party("CN/PLO-RU"), Party("RU/MVD")], await temp.Store.GetCasePartiesAsync("CASE-P", default));
    }

    [Fact]
    public async Task Two_owners_of_one_reference_keep_two_cases()
    {
        await using var temp = new TempStore();
        var first = Opening("CASE-T", "CN/FJPSD");
        var second = Opening("CASE-T", "CN/FJPSD") with
        {
            Sender = AgencyId.Parse("US/FBI"),
            CaseOwner = AgencyId.Parse("US/FBI"),
            JoiningParties = [AgencyId.Parse("US/FBI"), AgencyId.Parse("CN/FJPSD")],
        };
        await temp.Store.AcceptAsync(first, default);
        await temp.Store.AcceptAsync(second, default);

        Assert.Equal(
            [new CaseParty("CN/PLO-RU", "CN/FJPSD"), new CaseParty("CN/PLO-RU", "CN/PLO-RU"), new CaseParty("US/FBI", "CN/FJPSD"), new CaseParty("US/FBI", "US/FBI")],
            await temp.Store.GetCasePartiesAsync("CASE-T", default));
        Assert.Equal("US/FBI", (await temp.Store.FindMessageAsync(second.MessageId, default))!.CaseOwner);
    }

    [Fact]
    public async Task A_store_written_before_cases_had_owners_gets_one_case_per_reference_owned_by_its_first_sender()
    {
        await using var temp = new TempStore();
        var referral = TempStore.Message(null, "CASE-OLD", recipients: ["CN/FJPSD"]);
        var later = TempStore.Message(null, "CASE-OLD", recipients: ["RU/MVD"]) with { Sender = AgencyId.Parse("CN/MPS") };
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

    /// <summary>A referral from CN/PLO-RU that opens (or joins its recipient to) the case it owns under <paramref name="reference"/>.</summary>
    private static NewMessage Opening(string reference, string recipient) =>
        TempStore.Message(null, reference, recipients: [recipient]) with
        {
            CaseOwner = AgencyId.Parse("CN/PLO-RU"),
            JoiningParties = [AgencyId.Parse("CN/PLO-RU"), AgencyId.Parse(recipient)],
        };
}
