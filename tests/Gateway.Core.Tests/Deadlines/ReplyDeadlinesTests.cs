using Gateway.Core.Deadlines;
using Gateway.Tests.Shared;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Core.Tests.Deadlines;

/// <summary>Which messages await a reply from each recipient, and when it is due: the sender's reply-by, else the priority's default.</summary>
public sealed class ReplyDeadlinesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private readonly ReplyDeadlines _deadlines = new(Options.Create(new ReplyDeadlineOptions()), new FakeTimeProvider(Now));

    [Theory]
    [InlineData(Priority.ImmediateLifeAtRisk, 8)]
    [InlineData(Priority.Urgent, 72)]
    [InlineData(Priority.Routine, 168)]
    public void A_request_without_reply_by_is_due_at_its_prioritys_default_from_now(Priority priority, int hours)
    {
        var request = Samples.LocationRequest();
        request.Header.Priority = priority;

        Assert.Equal(Now.AddHours(hours), _deadlines.DueOf(request.Header, request));
        Assert.Equal(Now.AddHours(hours), _deadlines.DueFromNow(priority));
    }

    [Fact]
    public void The_senders_reply_by_wins_over_the_default_even_when_later()
    {
        var referral = Samples.Referral();
        referral.Header.ReplyBy = Timestamp.FromDateTimeOffset(Now.AddDays(30));

        Assert.Equal(Now.AddDays(30), _deadlines.DueOf(referral.Header, referral));
    }

    [Fact]
    public void Referrals_location_requests_and_translation_requests_await_replies_and_nothing_else_does()
    {
        var translation = Samples.StatusUpdate("AR/PFA", "AR-PFA-2026-0001");
        translation.Update = new CaseUpdate { Translation = new TranslationRequest { EvidenceReference = "EV-1", SourceLanguage = "zh", TargetLanguage = "es" } };

        Assert.True(ReplyDeadlines.AwaitsReply(Samples.Referral()));
        Assert.True(ReplyDeadlines.AwaitsReply(Samples.LocationRequest()));
        Assert.True(ReplyDeadlines.AwaitsReply(translation));
        Assert.False(ReplyDeadlines.AwaitsReply(Samples.StatusUpdate("AR/PFA", "AR-PFA-2026-0001")));
        Assert.False(ReplyDeadlines.AwaitsReply(new ReportLocationRequest { Header = Samples.Header("RU/MVD") }));
        Assert.Null(_deadlines.DueOf(translation.Header, new AnswerReferralRequest { Header = Samples.Header("CN/FJPSD") }));
    }

    [Fact]
    public void The_defaults_are_the_eu_time_limits_and_pass_validation()
    {
        var options = new ReplyDeadlineOptions();

        Assert.Equal((TimeSpan.FromHours(8), TimeSpan.FromDays(3), TimeSpan.FromDays(7)), (options.ImmediateLifeAtRisk, options.Urgent, options.Routine));
        Assert.True(new ReplyDeadlineOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void A_time_not_positive_or_a_more_urgent_priority_given_longer_is_refused_naming_the_setting()
    {
        var result = new ReplyDeadlineOptionsValidator().Validate(
            null, new ReplyDeadlineOptions { ImmediateLifeAtRisk = TimeSpan.Zero, Urgent = TimeSpan.FromDays(8), Routine = TimeSpan.FromDays(7) });

        Assert.True(result.Failed);
        Assert.Equal(
            ["Gateway:ReplyDeadlines:ImmediateLifeAtRisk must be longer than zero, e.g. 08:00:00.", "Gateway:ReplyDeadlines:Routine must be at least Urgent (8.00:00:00)."],
            result.Failures);
    }
}
