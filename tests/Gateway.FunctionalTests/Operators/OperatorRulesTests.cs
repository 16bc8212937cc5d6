using System.Security.Claims;
using Gateway.Identity;
using Gateway.Identity.Operators;
using Interagency.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Gateway.FunctionalTests.Operators;

/// <summary>The rules of operator authorisation as plain functions: the method table, role claims, subjects, settings.</summary>
public class OperatorRulesTests
{
    public static TheoryData<string, string[]> Table => new()
    {
        { "/interagency.v1.OperationsService/ListDeadLetters", [OperatorRoles.DutyOperator] },
        { "/interagency.v1.OperationsService/ReplayDeadLetters", [OperatorRoles.DutyOperator] },
        { "/interagency.v1.OperationsService/ListHeldMessages", [OperatorRoles.DutyOperator, OperatorRoles.LegalReviewer] },
        { "/interagency.v1.OperationsService/ReviewHeldMessage", [OperatorRoles.LegalReviewer] },
        { "/interagency.v1.OperationsService/ListAgencies", [OperatorRoles.DutyOperator] },
        { "/interagency.v1.OperationsService/ListRoutes", [OperatorRoles.DutyOperator] },
        { "/interagency.v1.OperationsService/ListOverdue", [OperatorRoles.DutyOperator] },
        { "/interagency.v1.OperationsService/ReencryptStore", [OperatorRoles.DutyOperator] },
        { "/interagency.v1.TraceService/GetMessageTrace", [OperatorRoles.DutyOperator] },
        { "/interagency.v1.TraceService/SearchMessages", [OperatorRoles.DutyOperator] },
        { "/interagency.v1.TraceService/WatchFlow", [OperatorRoles.DutyOperator] },
        { "/interagency.v1.TraceService/GetMessageContent", [OperatorRoles.DutyOperator] },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_operator_method_is_allowed_to_its_roles_only(string method, string[] roles)
    {
        Assert.Equal(roles, OperatorPermissions.RolesFor(method));
        Assert.All(roles, role => Assert.True(OperatorPermissions.Allows(method, new HashSet<string> { role })));
        Assert.False(OperatorPermissions.Allows(method, new HashSet<string> { "offline_access", "uma_authorization" }));
        Assert.False(OperatorPermissions.Allows(method, new HashSet<string>()));
    }

    [Fact]
    public void Every_method_an_operator_can_call_is_in_the_table_and_no_agency_method_is()
    {
        var operatorMethods = OperationsService.Descriptor.Methods.Concat(TraceService.Descriptor.Methods)
            .Select(m => $"/{m.Service.FullName}/{m.Name}").ToHashSet();

        Assert.Equal(operatorMethods.Order(), Table.Select(row => (string)row[0]).Order());
        Assert.Empty(OperatorPermissions.RolesFor("/interagency.v1.ReferralService/SubmitReferral"));
        Assert.Empty(OperatorPermissions.RolesFor("/interagency.v1.OperationsService/NoSuchMethod"));
    }

    [Fact]
    public void Roles_are_read_from_a_top_level_claim_one_claim_per_value()
    {
        Claim[] claims = [new("sub", "x"), new("roles", "duty-operator"), new("roles", "legal-reviewer"), new("groups", "admins")];

        Assert.Equal(["duty-operator", "legal-reviewer"], OperatorRoles.From(claims, "roles").Order());
        Assert.Equal(["admins"], OperatorRoles.From(claims, "groups"));
    }

    [Fact]
    public void Roles_are_read_from_keycloak_realm_and_client_roles_by_a_dotted_path()
    {
        Claim[] claims =
        [
            new("realm_access", """{"roles":["offline_access","duty-operator"]}""", "JSON"),
            new("resource_access", """{"liaison-gateway":{"roles":["legal-reviewer"]},"account":{"roles":["view-profile"]}}""", "JSON"),
        ];

        Assert.Equal(["duty-operator", "offline_access"], OperatorRoles.From(claims, "realm_access.roles").Order());
        Assert.Equal(["legal-reviewer"], OperatorRoles.From(claims, "resource_access.liaison-gateway.roles"));
        Assert.Empty(OperatorRoles.From(claims, "realm_access.groups"));
        Assert.Empty(OperatorRoles.From([new Claim("realm_access", "not json")], "realm_access.roles"));
    }

    [Theory]
    [InlineData("f47ac10b-58cc-4372-a567-0e02b2c3d479", true)]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", true)]
    [InlineData("f:7e0d5ac1-provider:jdoe", true)]
    [InlineData("auth0|5f7c8ec7c33c6c004bbafe82", true)]
    [InlineData("jane.doe@police.example", false)]
    [InlineData("Jane Doe", false)]
    [InlineData("", false)]
    [InlineData("-leading-dash", false)]
    public void A_token_subject_is_kept_exactly_when_it_is_an_opaque_id(string subject, bool accepted)
    {
        Assert.Equal(accepted, OperatorName.TryFromSubject(subject, out var name));
        if (accepted)
        {
            Assert.Equal("operator:" + subject, name.Actor);
        }
    }

    [Fact]
    public void Subjects_that_differ_in_case_stay_two_operators_and_the_development_header_stays_lower_case()
    {
        Assert.True(OperatorName.TryFromSubject("AbC-1", out var upper));
        Assert.True(OperatorName.TryFromSubject("abc-1", out var lower));
        Assert.NotEqual(upper, lower);
        Assert.False(OperatorName.TryParse("AbC-1", out _));
        Assert.False(OperatorName.TryFromSubject(new string('a', 129), out _));
    }

    [Theory]
    [InlineData("Development", null, "Development")]
    [InlineData(null, null, "Development")]
    [InlineData("MutualTls", null, "Jwt")]
    [InlineData("Development", "Jwt", "Jwt")]
    public void An_unset_operator_mode_follows_the_identity_mode(string? identityMode, string? operatorMode, string expected)
    {
        var options = new OperatorOptions { Mode = operatorMode };

        new OperatorOptionsSetup(Configuration(identityMode)).PostConfigure(null, options);

        Assert.Equal(expected, options.Mode);
    }

    [Fact]
    public void Development_operators_with_mutual_tls_agencies_are_refused_naming_both_settings()
    {
        var result = Validator("MutualTls").Validate(null, new OperatorOptions { Mode = "Development" });

        var failure = Assert.Single(result.Failures!);
        Assert.Contains("Gateway:Operators:Mode 'Development'", failure, StringComparison.Ordinal);
        Assert.Contains("Gateway:Identity:Mode 'MutualTls'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Jwt_settings_without_issuer_audience_or_a_readable_key_are_refused_each_by_name()
    {
        var folder = Directory.CreateTempSubdirectory("operator-keys-").FullName;
        try
        {
            var privateKey = Path.Combine(folder, "private.pem");
            using (var key = System.Security.Cryptography.ECDsa.Create())
            {
                File.WriteAllText(privateKey, key.ExportPkcs8PrivateKeyPem());
            }

            var options = new OperatorOptions { Mode = "Jwt", Jwt = { SigningKeys = ["missing.pem", privateKey], RoleClaim = "realm_access." } };

            var failures = Validator("MutualTls", folder).Validate(null, options).Failures!.ToList();

            Assert.Contains(failures, f => f.StartsWith("Gateway:Operators:Jwt:Issuer is required", StringComparison.Ordinal));
            Assert.Contains(failures, f => f.StartsWith("Gateway:Operators:Jwt:Audience is required", StringComparison.Ordinal));
            Assert.Contains(failures, f => f.StartsWith("Gateway:Operators:Jwt:RoleClaim", StringComparison.Ordinal));
            Assert.Contains(failures, f => f.StartsWith("Gateway:Operators:Jwt:SigningKeys:0 ('missing.pem')", StringComparison.Ordinal));
            Assert.Contains(failures, f => f.StartsWith("Gateway:Operators:Jwt:SigningKeys:1", StringComparison.Ordinal) && f.Contains("never a private one", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_relative_key_path_resolves_against_the_content_root_and_an_ec_key_must_be_p256()
    {
        var folder = Directory.CreateTempSubdirectory("operator-keys-").FullName;
        try
        {
            using var issuer = TestTokenIssuer.Es256();
            issuer.WritePublicKey(Path.Combine(folder, "signing.pub.pem"));
            using (var p384 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384))
            {
                File.WriteAllText(Path.Combine(folder, "p384.pub.pem"), p384.ExportSubjectPublicKeyInfoPem());
            }

            var options = new OperatorOptions
            {
                Mode = "Jwt",
                Jwt = { Issuer = "https://sso", Audience = "liaison-gateway", SigningKeys = ["signing.pub.pem", "p384.pub.pem"] },
            };

            var failure = Assert.Single(Validator("Development", folder).Validate(null, options).Failures!);
            Assert.StartsWith("Gateway:Operators:Jwt:SigningKeys:1", failure, StringComparison.Ordinal);
            Assert.Contains("P-256", failure, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IConfiguration Configuration(string? identityMode) =>
        new ConfigurationBuilder().AddInMemoryCollection(
            identityMode is null ? [] : [new KeyValuePair<string, string?>("Gateway:Identity:Mode", identityMode)]).Build();

    private static OperatorOptionsValidator Validator(string identityMode, string? contentRoot = null) =>
        new(Configuration(identityMode), new Environment(contentRoot ?? Path.GetTempPath()));

    private sealed class Environment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";

        public string ApplicationName { get; set; } = "Gateway";

        public string ContentRootPath { get; set; } = contentRoot;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
