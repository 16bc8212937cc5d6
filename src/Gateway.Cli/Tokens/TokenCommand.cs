using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Cli.Certs;

namespace Gateway.Cli.Tokens;

/// <summary>
/// <c>token mint</c>: a signed operator token for newcomers, tests and the demo, from the key pair certs init made.
/// Real deployments get their tokens from their SSO (Keycloak, Entra) and never hold the signing key.
/// </summary>
internal static class TokenCommand
{
    public const string DefaultAudience = ProductionConfiguration.Audience;

    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(8);

    public static Command Create(GlobalOptions global)
    {
        var token = new Command("token", "Operator tokens for testing the gateway's Jwt operator mode on one machine");
        token.Add(Mint(global));
        return token;
    }

    private static Command Mint(GlobalOptions global)
    {
        var command = new Command(
            "mint",
            "Print a signed operator token (JWT, ES256) to use with --token or GATEWAYCTL_TOKEN. For tests and the demo: "
            + "real deployments use their SSO's tokens");
        var config = new Option<FileInfo>("--config")
        {
            Description = $"A {CertsLayout.ConfigurationFile} written by certs init: the issuer, audience, role claim and signing key default to its Gateway:Operators:Jwt",
            HelpName = "FILE",
        };
        var key = new Option<FileInfo>("--signing-key")
        {
            Description = "The ES256 private key (PKCS#8 PEM), e.g. operator-signing.key.pem [default: the one beside --config's public key]",
            HelpName = "FILE",
        };
        var subject = new Option<string>("--subject")
        {
            Description = "The operator (the token's sub), named in every audit entry of their calls",
            HelpName = "NAME",
            Required = true,
        };
        var roles = new Option<string[]>("--role")
        {
            Description = "A role: duty-operator or legal-reviewer; repeat for more",
            HelpName = "ROLE",
            Required = true,
        };
        var issuer = new Option<string>("--issuer") { Description = $"The token's iss [default: --config's, else {ProductionConfiguration.Issuer}]", HelpName = "ISSUER" };
        var audience = new Option<string>("--audience") { Description = $"The token's aud [default: --config's, else {DefaultAudience}]", HelpName = "AUDIENCE" };
        var lifetime = new Option<string>("--lifetime") { Description = "How long the token is valid, e.g. 8h, 30m, 2d [default: 8h]", HelpName = "DURATION" };
        foreach (var option in new Option[] { config, key, subject, roles, issuer, audience, lifetime })
        {
            command.Add(option);
        }

        CliContext.Bind(command, global, async cli =>
        {
            var settings = cli.Get(config) is { } file ? JwtSettings.Read(file.FullName) : null;
            var keyPath = cli.Get(key)?.FullName ?? settings?.PrivateKey
                ?? throw new UsageException("token mint needs --signing-key FILE (the private key) or --config FILE (certs init's production.json)");
            var request = new OperatorTokenRequest(
                cli.Get(subject)!,
                cli.Get(roles)!,
                cli.Get(issuer) ?? settings?.Issuer ?? ProductionConfiguration.Issuer,
                cli.Get(audience) ?? settings?.Audience ?? DefaultAudience,
                settings?.RoleClaim ?? ProductionConfiguration.RoleClaim,
                cli.Get(lifetime) is { } text ? ParseLifetime(text) : DefaultLifetime);
            using var signingKey = OperatorToken.LoadSigningKey(keyPath);
            await cli.Out.WriteLineAsync(OperatorToken.Mint(request, signingKey, TimeProvider.System));
            return GatewayCtl.Done;
        });
        return command;
    }

    /// <summary>8h, 30m, 2d, 90s, or a TimeSpan (08:00:00); positive.</summary>
    internal static TimeSpan ParseLifetime(string text)
    {
        var unit = text.Length > 1 ? text[^1] : ' ';
        TimeSpan? parsed = unit is 's' or 'm' or 'h' or 'd' && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
            ? unit switch { 's' => TimeSpan.FromSeconds(amount), 'm' => TimeSpan.FromMinutes(amount), 'h' => TimeSpan.FromHours(amount), _ => TimeSpan.FromDays(amount) }
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : null;
        return parsed is { } lifetime && lifetime > TimeSpan.Zero
            ? lifetime
            : throw new UsageException($"--lifetime '{text}' is not a positive duration such as 8h, 30m, 2d or 08:00:00");
    }

    /// <summary>Gateway:Operators:Jwt of a certs init configuration, and the private key beside its first public key.</summary>
    private sealed record JwtSettings(string? Issuer, string? Audience, string? RoleClaim, string? PrivateKey)
    {
        public static JwtSettings Read(string path)
        {
            JsonNode? jwt;
            try
            {
                jwt = JsonNode.Parse(File.ReadAllText(path))?["Gateway"]?["Operators"]?["Jwt"];
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException)
            {
                throw new UsageException($"--config '{path}' cannot be read: {error.Message}");
            }

            if (jwt is null)
            {
                throw new UsageException($"--config '{path}' has no Gateway:Operators:Jwt section");
            }

            var publicKey = jwt["SigningKeys"]?.AsArray().FirstOrDefault()?.GetValue<string>();
            return new JwtSettings(
                jwt["Issuer"]?.GetValue<string>(),
                jwt["Audience"]?.GetValue<string>(),
                jwt["RoleClaim"]?.GetValue<string>(),
                publicKey is null ? null : CertsLayout.PrivateSigningKeyBeside(Path.GetFullPath(publicKey, Path.GetDirectoryName(path)!)));
        }
    }
}
