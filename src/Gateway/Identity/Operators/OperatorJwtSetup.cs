using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Identity.Operators;

/// <summary>
/// The JwtBearer handler of operator tokens, from <c>Gateway:Operators:Jwt</c>: no metadata is fetched (nothing reaches
/// the network); the keys are the configured files, re-read when they change.
/// </summary>
public sealed class OperatorJwtSetup(IOptions<OperatorOptions> options, OperatorSigningKeys keys) : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions bearer)
    {
        if (name != JwtOperatorAuthorizer.Scheme)
        {
            return;
        }

        var jwt = options.Value.Jwt;

        // The claims keep their names in the token (sub, roles), not the WS-Federation URIs they would be mapped to.
        bearer.MapInboundClaims = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidAudience = jwt.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = jwt.ClockSkew,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256],
            IssuerSigningKeyResolver = (_, _, _, _) => keys.Current,
            NameClaimType = JwtOperatorAuthorizer.SubjectClaim,
        };
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);
}
