using Interagency.V1;

namespace Gateway.Core.Deadlines;

/// <summary>
/// How long a recipient has to answer a request whose sender gave no reply-by, by priority (section
/// <c>Gateway:ReplyDeadlines</c>). The defaults are the time limits of EU 2023/977 art. 5: 8 hours for urgent requests
/// about a risk to life, 3 days for other urgent ones, 7 days for the rest.
/// </summary>
public sealed class ReplyDeadlineOptions
{
    public const string Section = "Gateway:ReplyDeadlines";

    public TimeSpan ImmediateLifeAtRisk { get; set; } = TimeSpan.FromHours(8);

    public TimeSpan Urgent { get; set; } = TimeSpan.FromDays(3);

    public TimeSpan Routine { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The time a recipient has for a request of <paramref name="priority"/>; schema validation refuses an unset one.</summary>
    public TimeSpan For(Priority priority) => priority switch
    {
        Priority.ImmediateLifeAtRisk => ImmediateLifeAtRisk,
        Priority.Urgent => Urgent,
        _ => Routine,
    };
}
