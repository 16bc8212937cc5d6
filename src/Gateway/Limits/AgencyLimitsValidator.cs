using Gateway.Core.Agencies;
using Gateway.Core.Limits;
using Microsoft.Extensions.Options;

namespace Gateway.Limits;

/// <summary>Checks <c>Gateway:AgencyLimits</c> at start-up against the directory in effect (see <see cref="AgencyLimitRules.Validate"/>).</summary>
public sealed class AgencyLimitsValidator(IAgencyDirectoryProvider directories) : IValidateOptions<AgencyLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, AgencyLimitsOptions options)
    {
        var directory = directories.GetDirectory();
        var failures = AgencyLimitRules.Validate(options, agency => directory.TryGet(agency, out _));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
