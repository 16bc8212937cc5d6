using Gateway.Core.Intake;
using Gateway.Hosting;

namespace Gateway.FunctionalTests.Hosting;

/// <summary>The intake bounds validator as a plain function: each bound lies between 1 and the wire schema's own.</summary>
public class IntakeLimitsValidatorTests
{
    private readonly IntakeLimitsValidator _validator = new();

    [Fact]
    public void The_defaults_are_valid() => Assert.True(_validator.Validate(null, new IntakeLimits()).Succeeded);

    [Fact]
    public void The_schemas_own_bounds_are_valid() => Assert.True(_validator.Validate(null, new IntakeLimits
    {
        MaxRecipients = IntakeLimitsValidator.SchemaMaxRecipients,
        MaxSubjects = IntakeLimitsValidator.SchemaMaxSubjects,
        MaxHops = IntakeLimitsValidator.SchemaMaxHops,
    }).Succeeded);

    [Fact]
    public void Zero_and_bounds_past_the_schemas_are_named()
    {
        var result = _validator.Validate(null, new IntakeLimits { MaxRecipients = 0, MaxSubjects = 51, MaxHops = 10 });

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "Gateway:Intake:MaxRecipients must be between 1 and 32 (the wire schema's bound).",
                "Gateway:Intake:MaxSubjects must be between 1 and 50 (the wire schema's bound).",
                "Gateway:Intake:MaxHops must be between 1 and 9 (the wire schema's bound).",
            ],
            result.Failures);
    }
}
