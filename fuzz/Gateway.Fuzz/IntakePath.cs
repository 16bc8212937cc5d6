using Gateway.Audit;
using Gateway.Contracts.Validation;
using Gateway.Core.Agencies;
using Gateway.Core.Deadlines;
using Gateway.Core.Intake;
using Gateway.Intake;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Interagency.V1;
using Microsoft.Extensions.Options;
using ProtoValidate;

namespace Gateway.Fuzz;

/// <summary>What intake made of one input.</summary>
internal enum Verdict
{
    /// <summary>Not a message of the type: the parser refused it, as gRPC's deserializer would.</summary>
    Undecodable,

    SchemaRefused,

    RuleRefused,

    /// <summary>A replay of a stored message, answered with its receipt.</summary>
    Replayed,

    /// <summary>Passed every check and was routed: the next step would be the commit.</summary>
    Prepared,
}

/// <summary>
/// The gateway's intake up to the commit, built as <c>AddGatewayIntake</c> builds it: the protovalidate validator with lazy
/// compilation, the compiled schema checks, the business rules over the sample directory, the reply router, and
/// <see cref="MessageIntake.PrepareAsync"/>. Refusals are turned into their audit record and gRPC status as the gateway
/// does, since that code sees the caller's input too.
/// </summary>
internal sealed class IntakePath
{
    private readonly SchemaValidator _validator;
    private readonly MessageIntake _intake;
    private readonly AgencyDirectory _directory;

    public IntakePath()
    {
        var time = FuzzClock.Create();
        var store = new ReferenceStore();
        _directory = SampleDirectory.Create();
        _validator = new SchemaValidator(new Validator(new ValidatorOptions { DisableLazy = false }), time);
        var rules = new IntakeRules(new AgencyDirectoryProvider(_directory), Options.Create(new IntakeLimits()), time);
        var deadlines = new ReplyDeadlines(Options.Create(new ReplyDeadlineOptions()), time);
        _intake = new MessageIntake(rules, new ReplyRouter(store, deadlines, new AgencyDirectoryProvider(_directory)), store, deadlines);
    }

    /// <summary>Schema check as the interceptor (or the publication stream) runs it, refusal included.</summary>
    public bool PassesSchema(string rpc, IMessage request, AgencyId caller)
    {
        var violations = _validator.Validate(request);
        if (violations.Count == 0)
        {
            return true;
        }

        var refusal = CallRefusal.From(SchemaRefusal.From(violations), Envelope.FindMessageId(request));
        _ = RefusalBoundary.ToRecord(rpc, caller.ToString(), refusal);
        _ = RefusalStatus.ToStatus(refusal);
        return false;
    }

    /// <summary>Schema check, then everything <see cref="MessageIntake"/> does before it hands the message to the store.</summary>
    public Verdict Submit(string rpc, MessageKind kind, IMessage request, Header? header, AgencyId defaultCaller)
    {
        var caller = CallerFor(header, defaultCaller);
        if (!PassesSchema(rpc, request, caller))
        {
            return Verdict.SchemaRefused;
        }

        var prepared = _intake.PrepareAsync(kind, header!, request, caller, CancellationToken.None).GetAwaiter().GetResult();
        if (prepared.Decided is { Refusal: { } refusal })
        {
            _ = RefusalStatus.ToStatus(CallRefusal.From(refusal, header!.MessageId));
            return Verdict.RuleRefused;
        }

        return prepared.Decided is null ? Verdict.Prepared : Verdict.Replayed;
    }

    /// <summary>
    /// The caller is the header's sender when that is an agency of the directory (the identity a real call would carry),
    /// so inputs reach the rules past the sender check; otherwise the harness's default agency calls.
    /// </summary>
    private AgencyId CallerFor(Header? header, AgencyId defaultCaller) =>
        AgencyId.TryParse(header?.Sender, out var sender) && _directory.TryGet(sender, out _) ? sender : defaultCaller;
}
