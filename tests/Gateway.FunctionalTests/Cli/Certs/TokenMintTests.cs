using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.FunctionalTests.Cli.Certs;

/// <summary>gatewayctl token mint: an ES256 operator token that the certs init public key verifies, with the claims the gateway reads.</summary>
public sealed class TokenMintTests
{
    [Fact]
    public async Task The_token_verifies_with_the_public_key_and_carries_sub_roles_iss_aud_and_exp()
    {
        using var folder = await CertsFolder.InitAsync();
        var before = DateTime.UtcNow;

        var run = await Gatewayctl.RunAsync(
            "token", "mint", "--config", folder.Configuration, "--subject", "duty-officer-1", "--role", "duty-operator", "--role", "legal-reviewer");

        Assert.Equal(0, run.ExitCode);
        var result = await ValidateAsync(Assert.Single(run.Lines), folder.In("operator-signing.pub.pem"), "urn:liaison-gateway:test-operators", "liaison-gateway");
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal("ES256", token.Alg);
        Assert.Equal("duty-officer-1", token.Subject);
        Assert.Equal(["duty-operator", "legal-reviewer"], token.Claims.Where(c => c.Type == "roles").Select(c => c.Value));
        Assert.InRange(token.ValidTo, before.AddHours(8).AddSeconds(-1), DateTime.UtcNow.AddHours(8).AddSeconds(1));
    }

    [Fact]
    public async Task Issuer_audience_lifetime_and_key_can_be_given_and_another_key_does_not_verify_it()
    {
        using var folder = await CertsFolder.InitAsync();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(folder.In("other.pub.pem"), other.ExportSubjectPublicKeyInfoPem());

        var run = await Gatewayctl.RunAsync(
            "token", "mint", "--signing-key", folder.In("operator-signing.key.pem"), "--subject", "reviewer-7", "--role", "legal-reviewer",
            "--issuer", "https://sso.example.police/realms/liaison", "--audience", "gateway-b", "--lifetime", "30m");

        Assert.Equal(0, run.ExitCode);
        var jwt = Assert.Single(run.Lines);
        var result = await ValidateAsync(jwt, folder.In("operator-signing.pub.pem"), "https://sso.example.police/realms/liaison", "gateway-b");
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.InRange(result.SecurityToken.ValidTo - result.SecurityToken.ValidFrom, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30));
        Assert.False((await ValidateAsync(jwt, folder.In("other.pub.pem"), "https://sso.example.police/realms/liaison", "gateway-b")).IsValid);
        Assert.False((await ValidateAsync(jwt, folder.In("operator-signing.pub.pem"), "urn:liaison-gateway:test-operators", "gateway-b")).IsValid);
    }

    [Theory]
    [InlineData("--signing-key", "operator-signing.pub.pem", "is a public key")]
    [InlineData("--lifetime", "0h", "is not a positive duration")]
    [InlineData("--lifetime", "soon", "is not a positive duration")]
    public async Task A_public_key_or_a_bad_lifetime_is_a_command_line_error(string option, string value, string message)
    {
        using var folder = await CertsFolder.InitAsync();
        var path = option == "--signing-key" ? folder.In(value) : value;

        var run = await Gatewayctl.RunAsync("token", "mint", "--config", folder.Configuration, "--subject", "duty-officer-1", "--role", "duty-operator", option, path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.Contains("Run 'gatewayctl token mint --help' for its options.", run.Error);
        Assert.Empty(run.Output);
    }

    private static Task<TokenValidationResult> ValidateAsync(string jwt, string publicKeyPath, string issuer, string audience)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(publicKeyPath));
        return new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKey = new ECDsaSecurityKey(key),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        });
    }
}
