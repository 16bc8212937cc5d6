using Gateway.Audit;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Identity.Operators;

/// <summary>
/// Production operators: a call carries <c>authorization: Bearer JWT</c>, which ASP.NET Core's JwtBearer handler (scheme
/// <see cref="Scheme"/>, asked by name: no default scheme is assumed) checks for issuer, audience, lifetime and signature;
/// the token's <c>sub</c> names the operator and its roles must allow the method (<see cref="OperatorPermissions"/>).
/// </summary>
public sealed class JwtOperatorAuthorizer(IOptions<OperatorOptions> options, ILogger<JwtOperatorAuthorizer> logger) : IOperatorAuthorizer
{
    /// <summary>The authentication scheme of operator tokens.</summary>
    public const string Scheme = "OperatorJwt";

    public const string SubjectClaim = "sub";

    public async Task<OperatorAuthorization> AuthorizeAsync(ServerCallContext context)
    {
        var jwt = options.Value.Jwt;
        var result = await context.GetHttpContext().AuthenticateAsync(Scheme);
        if (!result.Succeeded)
        {
            var refusal = result.None ? Missing(jwt) : Invalid(jwt, result.Failure);
            OperatorAuthLog.TokenRefused(logger, context.Method, refusal.Reason);
            return OperatorAuthorization.Refuse(refusal);
        }

        if (!OperatorName.TryFromSubject(result.Principal.FindFirst(SubjectClaim)?.Value, out var name))
        {
            var refusal = Refusal(
                StatusCode.Unauthenticated,
                "operator_token_invalid",
                "The operator token's 'sub' is missing or not an opaque id (letters, digits, '.', '_', '-', ':', '|', at most 128); have the issuer put the user's id there, never a name or an e-mail address.");
            OperatorAuthLog.TokenRefused(logger, context.Method, refusal.Reason);
            return OperatorAuthorization.Refuse(refusal);
        }

        var roles = OperatorRoles.From(result.Principal.Claims, jwt.RoleClaim);
        if (!OperatorPermissions.Allows(context.Method, roles))
        {
            var needed = string.Join(" or ", OperatorPermissions.RolesFor(context.Method));
            OperatorAuthLog.RoleMissing(logger, context.Method, name.Value, needed);
            return OperatorAuthorization.Refuse(
                Refusal(
                    StatusCode.PermissionDenied,
                    "operator_role_missing",
                    $"The operator token does not carry a role that may call this method (needed in '{jwt.RoleClaim}': {needed}); ask the identity provider's administrators for the role.")
                with
                {
                    // An operator can repeat this at no cost: within the budget, under its subject.
                    Budgeted = true,
                },
                name);
        }

        return OperatorAuthorization.Allow(name);
    }

    private static CallRefusal Missing(OperatorJwtOptions jwt) => Refusal(
        StatusCode.Unauthenticated,
        "operator_token_missing",
        $"Operator calls need a token: send the 'authorization' header as 'Bearer <JWT>' with a token issued by {jwt.Issuer} for the audience '{jwt.Audience}'.");

    /// <summary>What was wrong with a token, said without any of its content.</summary>
    private static CallRefusal Invalid(OperatorJwtOptions jwt, Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => Refusal(
            StatusCode.Unauthenticated, "operator_token_expired", "The operator token has expired; get a new one from the issuer and call again."),
        _ => Refusal(
            StatusCode.Unauthenticated,
            "operator_token_invalid",
            $"The operator token is not accepted: {Fault(failure)}; send a token issued by {jwt.Issuer} for the audience '{jwt.Audience}', signed (ES256 or RS256) with one of the issuer's configured keys."),
    };

    private static string Fault(Exception? failure) => failure switch
    {
        SecurityTokenNotYetValidException => "it is not valid yet",
        SecurityTokenNoExpirationException => "it has no expiry",
        SecurityTokenInvalidIssuerException => "its issuer is not the configured one",
        SecurityTokenInvalidAudienceException => "its audience is not the gateway's",
        SecurityTokenInvalidAlgorithmException => "its signing algorithm is not ES256 or RS256",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "its signature does not verify with any configured signing key",
        _ => "it is not a well-formed signed JWT",
    };

    private static CallRefusal Refusal(StatusCode code, string reason, string message) => new(code, reason, message, []);
}
