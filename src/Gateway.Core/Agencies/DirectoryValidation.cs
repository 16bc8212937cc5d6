using Gateway.Core.Routing;

namespace Gateway.Core.Agencies;

/// <summary>Turns a configured directory into a snapshot once every validator accepts it as a whole.</summary>
public static class DirectoryValidation
{
    /// <summary>The gateway's validators: agencies, routes, the agencies routes name, and single points of contact.</summary>
    public static IReadOnlyList<IDirectoryValidator> Default { get; } =
        [new AgencyValidator(), new RouteValidator(), new RouteReferenceValidator(), new SinglePointOfContactValidator()];

    /// <returns>Every failure of every validator, empty when <paramref name="directory"/> is set.</returns>
    public static IReadOnlyList<string> TryRead(
        DirectoryOptions options, IEnumerable<IDirectoryValidator> validators, out AgencyDirectory? directory)
    {
        var failures = validators.SelectMany(v => v.Validate(options)).ToArray();
        directory = failures.Length == 0 ? AgencyDirectory.FromOptions(options) : null;
        return failures;
    }
}
