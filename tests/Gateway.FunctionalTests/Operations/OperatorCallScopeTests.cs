using Gateway.Operations;
using Interagency.V1;

namespace Gateway.FunctionalTests.Operations;

/// <summary>A case filter is on record only when it is shaped like a case reference: an operator may paste a name there.</summary>
public sealed class OperatorCallScopeTests
{
    [Theory]
    [InlineData("CN-FJ-2026-0042", "case=CN-FJ-2026-0042")]
    [InlineData("IVANOV Pyotr", "case=(not a case reference)")]
    [InlineData("ivanov", "case=(not a case reference)")]
    [InlineData("伊万诺夫", "case=(not a case reference)")]
    public void A_case_filter_is_recorded_only_when_it_is_shaped_like_a_case_reference(string filter, string recorded)
    {
        Assert.Equal($"{recorded} order=Unspecified page_size=0", OperatorCallScope.Describe(new SearchMessagesRequest { Filter = new MessageFilter { CaseReference = filter } }));
        Assert.Equal($"{recorded} page_size=0", OperatorCallScope.Describe(new ListDeadLettersRequest { Filter = new DeadLetterFilter { CaseReference = filter } }));
        Assert.Equal(recorded, OperatorCallScope.Describe(new WatchFlowRequest { CaseReference = filter }));
    }
}
