using Gateway.Tests.Shared;
using Interagency.V1;

namespace Gateway.FunctionalTests.Encryption;

/// <summary>Referrals that carry named persons with values found nowhere else, so a scan of the store's bytes can look for them.</summary>
internal static class SealedReferrals
{
    public const string CaseReference = "CN-FJ-2026-0913";

    /// <summary>The personal data and free text one referral of <see cref="Create"/> carries, distinct per <paramref name="n"/>.</summary>
    public static string[] PersonalValues(int n) =>
        [$"QUILLFEATHER Ambrosine{n}", $"布兰肯伯里{n}号", $"PX9{n:D3}77421", $"Summary naming Thistlewood Marchbanks {n}"];

    public static SubmitReferralRequest Create(int n)
    {
        var values = PersonalValues(n);
        var request = Samples.Referral();
        request.Header.CaseReference = CaseReference;
        request.Referral.Coordination = null;
        request.Referral.Summary = values[3];
        var subject = request.Referral.Subjects[0];
        subject.Name = new PersonName { Latin = values[0], Native = values[1] };
        subject.Documents[0].Number = values[2];
        return request;
    }
}
