using Google.Protobuf;
using Google.Protobuf.Reflection;
using Interagency.V1;

namespace Gateway.Cli.Output;

/// <summary>
/// The proto's JSON form (Google.Protobuf's JsonFormatter and JsonParser), knowing every message of the contract so
/// that an <c>Any</c> (a held message's content, a file's <c>"@type"</c>) is written and read in full.
/// </summary>
internal static class ProtoJson
{
    public static readonly TypeRegistry Registry = TypeRegistry.FromFiles(
        CommonReflection.Descriptor,
        ReferralReflection.Descriptor,
        FugitiveReflection.Descriptor,
        ClarificationReflection.Descriptor,
        CaseUpdateReflection.Descriptor,
        OperationsReflection.Descriptor,
        TraceReflection.Descriptor,
        AgencyEndpointReflection.Descriptor);

    public static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(Registry));

    // Strict: a field the contract does not define is an error here, as the gateway would refuse it.
    public static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(Registry));

    /// <summary>Indented, for a person reading content in the terminal.</summary>
    public static readonly JsonFormatter IndentedFormatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(Registry).WithIndentation());
}
