using Gateway.Core.Agencies;
using Gateway.Core.Encryption;
using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Contract.Tests.Intake;

/// <summary>The store's memberships of cases: written as Core decides them and read back per reference, in order.</summary>
public abstract class CasePartiesContract : StoreContract
{
    [StoreFact]
    public async Task The_parties_of_a_case_include_an_agency_added_after_they_were_first_read()
    {
        var opening = Opening("CASE-P", "CN/FJPSD");
        await Store.Intake.AcceptAsync(opening, default);
        Assert.Equal("CN/PLO-RU", (await Store.Intake.FindMessageAsync(opening.MessageId, default))!.CaseOwner);
        Assert.Equal([Party("CN/FJPSD"), Party("CN/PLO-RU")], await Store.Intake.GetCasePartiesAsync("CASE-P", default));

        await Store.Intake.AcceptAsync(Opening("CASE-P", "RU/MVD") with { JoiningParties = [AgencyId.Parse("RU/MVD")] }, default);

        Assert.Equal([Party("CN/FJPSD"), Party("CN/PLO-RU"), Party("RU/MVD")], await Store.Intake.GetCasePartiesAsync("CASE-P", default));
    }

    [StoreFact]
    public async Task Two_owners_of_one_reference_keep_two_cases()
    {
        var first = Opening("CASE-T", "CN/FJPSD");
        var second = Opening("CASE-T", "CN/FJPSD") with
        {
            Sender = AgencyId.Parse("US/FBI"),
            CaseOwner = AgencyId.Parse("US/FBI"),
            JoiningParties = [AgencyId.Parse("US/FBI"), AgencyId.Parse("CN/FJPSD")],
        };
        await Store.Intake.AcceptAsync(first, default);
        await Store.Intake.AcceptAsync(second, default);

        Assert.Equal(
            [new CaseParty("CN/PLO-RU", "CN/FJPSD"), new CaseParty("CN/PLO-RU", "CN/PLO-RU"), new CaseParty("US/FBI", "CN/FJPSD"), new CaseParty("US/FBI", "US/FBI")],
            await Store.Intake.GetCasePartiesAsync("CASE-T", default));
        Assert.Equal("US/FBI", (await Store.Intake.FindMessageAsync(second.MessageId, default))!.CaseOwner);
    }

    private static CaseParty Party(string party) => new("CN/PLO-RU", party);

    /// <summary>A referral from CN/PLO-RU that opens (or joins its recipient to) the case it owns under <paramref name="reference"/>.</summary>
    private static NewMessage Opening(string reference, string recipient) =>
        StoreSamples.Message(null, reference, recipients: [recipient]) with
        {
            CaseOwner = AgencyId.Parse("CN/PLO-RU"),
            JoiningParties = [AgencyId.Parse("CN/PLO-RU"), AgencyId.Parse(recipient)],
        };
}

public sealed class SqliteCasePartiesTests : CasePartiesContract
{
    protected override Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => Task.FromResult<StoreUnderTest>(new SqliteStoreUnderTest(keys));
}

[RequiresPostgres]
public sealed class PostgresCasePartiesTests : CasePartiesContract
{
    protected override async Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);
}
