using Gateway.Contracts.Validation;
using Gateway.Delivery;
using Google.Protobuf;
using Interagency.V1;
using ProtoValidate;

namespace Gateway.FunctionalTests.Delivery;

/// <summary>Which endpoint answers the dispatcher takes, and the error an invalid one is recorded with (rule ids only).</summary>
public sealed class EndpointAnswersTests
{
    private static readonly EndpointAnswers Answers = new(new SchemaValidator(new Validator(new ValidatorOptions { DisableLazy = false }), TimeProvider.System));

    private static readonly EndpointRefusal Refusal = new() { Reason = EndpointRefusalReason.Malformed, Text = "secret text" };

    public static TheoryData<string, IMessage, string?> Table => new()
    {
        { "applied", new DeliverResponse { Outcome = DeliveryOutcome.Applied }, null },
        { "duplicate", new DeliverResult { DeliveryId = "1", Outcome = DeliveryOutcome.Duplicate }, null },
        { "not applied", new DeliverResult { DeliveryId = "1" }, null },
        { "refused", new DeliverResponse { Outcome = DeliveryOutcome.Refused, Refusal = Refusal }, null },
        { "asked", new DeliverResult { DeliveryId = "1", Outcome = DeliveryOutcome.ClarificationRequested, ClarificationQuestion = "Why?" }, null },
        { "refused without a refusal", new DeliverResult { DeliveryId = "1", Outcome = DeliveryOutcome.Refused }, "invalid answer (deliver_result.refusal)" },
        { "a refusal without the outcome", new DeliverResponse { Outcome = DeliveryOutcome.Applied, Refusal = Refusal }, "invalid answer (deliver_response.refusal)" },
        {
            "a refusal without a reason", new DeliverResponse { Outcome = DeliveryOutcome.Refused, Refusal = new EndpointRefusal { Text = "secret text" } },
            "invalid answer (enum.not_in)"
        },
        { "asked without a question", new DeliverResponse { Outcome = DeliveryOutcome.ClarificationRequested }, "invalid answer (deliver_response.clarification)" },
        {
            "a question with another outcome", new DeliverResult { DeliveryId = "1", Outcome = DeliveryOutcome.Applied, ClarificationQuestion = "Why?" },
            "invalid answer (deliver_result.clarification)"
        },
        { "an outcome the contract does not define", new DeliverResponse { Outcome = (DeliveryOutcome)9 }, "invalid answer (enum.defined_only)" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void An_answer_is_taken_only_when_it_keeps_the_contracts_rules(string what, IMessage answer, string? problem)
    {
        Assert.True(Answers.Problem(answer) == problem, $"{what}: {Answers.Problem(answer) ?? "valid"}");
        Assert.DoesNotContain("secret", Answers.Problem(answer) ?? "", StringComparison.Ordinal);
    }
}
