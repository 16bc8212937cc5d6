using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Storage;

namespace Gateway.Core.Tests.Intake;

/// <summary>Which case a message belongs to: a reference names a case only together with a party of it.</summary>
public sealed class CaseRulesTests
{
    private static readonly AgencyId Argentina = AgencyId.Parse("AR/PFA");
    private static readonly AgencyId Ministry = AgencyId.Parse("CN/MPS");
    private static readonly AgencyId Fbi = AgencyId.Parse("US/FBI");

    // AR/PFA opened a case with CN/MPS under the reference.
    private static readonly CaseParty[] OneCase = [new("AR/PFA", "AR/PFA"), new("AR/PFA", "CN/MPS")];

    [Fact]
    public void An_agency_naming_a_reference_it_takes_no_part_in_opens_a_case_of_its_own()
    {
        Assert.Equal((Fbi, null), CaseRules.ForAddressed(OneCase, Fbi));
        Assert.Equal([Fbi, Ministry], CaseRules.Joining([], Fbi, [Fbi, Ministry]));
    }

    [Fact]
    public void A_party_sends_in_its_case_and_only_newcomers_join_it()
    {
        Assert.Equal((Argentina, null), CaseRules.ForAddressed(OneCase, Ministry));
        Assert.Equal([AgencyId.Parse("RU/MVD")], CaseRules.Joining(OneCase, Argentina, [Ministry, AgencyId.Parse("RU/MVD")]));
    }

    [Fact]
    public void A_case_update_from_an_agency_in_no_case_of_the_reference_gets_the_answer_of_an_unknown_reference()
    {
        Assert.Equal(CaseRules.UnknownCase, CaseRules.ForUpdate(OneCase, Fbi).Refusal);
        Assert.Equal(CaseRules.UnknownCase, CaseRules.ForUpdate([], Fbi).Refusal);
    }

    [Fact]
    public void An_agency_in_two_cases_under_one_reference_is_refused_either_way()
    {
        CaseParty[] two = [.. OneCase, new("US/FBI", "US/FBI"), new("US/FBI", "CN/MPS")];

        Assert.Equal(CaseRules.AmbiguousCase, CaseRules.ForAddressed(two, Ministry).Refusal);
        Assert.Equal(CaseRules.AmbiguousCase, CaseRules.ForUpdate(two, Ministry).Refusal);
        Assert.Equal([Fbi, Ministry], CaseRules.PartiesOf(two, "US/FBI"));
    }
}
