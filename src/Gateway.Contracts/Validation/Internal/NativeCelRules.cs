using Google.Protobuf.WellKnownTypes;
using Interagency.V1;

namespace Gateway.Contracts.Validation.Internal;

/// <summary>
/// Native implementations of the custom CEL rules written in our protos, keyed by rule id and the exact
/// expression text: if a proto's expression is edited, it no longer matches and that message falls back
/// to protovalidate's CEL interpreter instead of being checked against a stale copy.
/// </summary>
internal static class NativeCelRules
{
    private static readonly Dictionary<(string Id, string Expression), Func<object, DateTimeOffset, bool>> Rules = new()
    {
        [("timestamp.not_future", "this <= now + duration('300s')")] =
            (value, now) => ((Timestamp)value).ToDateTimeOffset() <= now + TimeSpan.FromSeconds(300),
        [("handling.h3_restriction", "this.code != 4 || size(this.restriction) > 0")] =
            (value, _) => value is Handling h && ((int)h.Code != 4 || h.Restriction.Length > 0),

        // An endpoint's answers, checked on every delivery: the interpreter costs some 200 us an answer.
        [("deliver_response.refusal", "(this.outcome == 3) == has(this.refusal)")] =
            (value, _) => value is DeliverResponse r && ((int)r.Outcome == 3) == (r.Refusal is not null),
        [("deliver_response.clarification", "(this.outcome == 4) == (size(this.clarification_question) > 0)")] =
            (value, _) => value is DeliverResponse r && ((int)r.Outcome == 4) == (r.ClarificationQuestion.Length > 0),
        [("deliver_result.refusal", "(this.outcome == 3) == has(this.refusal)")] =
            (value, _) => value is DeliverResult r && ((int)r.Outcome == 3) == (r.Refusal is not null),
        [("deliver_result.clarification", "(this.outcome == 4) == (size(this.clarification_question) > 0)")] =
            (value, _) => value is DeliverResult r && ((int)r.Outcome == 4) == (r.ClarificationQuestion.Length > 0),
    };

    public static Func<object, DateTimeOffset, bool>? Find(Buf.Validate.Rule rule) =>
        Rules.GetValueOrDefault((rule.Id, rule.Expression));
}
