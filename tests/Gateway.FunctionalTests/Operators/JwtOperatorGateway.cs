using Gateway.FunctionalTests.Infrastructure;
using Grpc.Core;

namespace Gateway.FunctionalTests.Operators;

/// <summary>
/// The real gateway with operators by JWT (agencies in development mode), trusting the ES256 key of <see cref="Issuer"/>
/// and the RS256 key of <see cref="RsaIssuer"/>, each from its own PEM file; roles from the claim <see cref="RoleClaim"/>.
/// </summary>
public class JwtOperatorGateway : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-jwt-").FullName;

    public TestTokenIssuer Issuer { get; } = TestTokenIssuer.Es256();

    public TestTokenIssuer RsaIssuer { get; } = TestTokenIssuer.Rs256();

    public GatewayServer Server { get; private set; } = null!;

    /// <summary>The file of the ES256 key the gateway trusts; a test may rotate it.</summary>
    public string EcKeyPath => Path.Combine(_folder, "operator-signing.pub.pem");

    /// <summary>Unset, the gateway's default (<c>roles</c>).</summary>
    protected virtual string? RoleClaim => null;

    public static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };

    public async Task InitializeAsync()
    {
        Issuer.WritePublicKey(EcKeyPath);
        var rsaPath = RsaIssuer.WritePublicKey(Path.Combine(_folder, "operator-signing-rsa.pub.pem"));
        Server = new GatewayServer
        {
            ExtraArguments =
            [
                "--Gateway:Operators:Mode=Jwt",
                $"--Gateway:Operators:Jwt:Issuer={TestTokenIssuer.DefaultIssuer}",
                $"--Gateway:Operators:Jwt:Audience={TestTokenIssuer.DefaultAudience}",
                $"--Gateway:Operators:Jwt:SigningKeys:0={EcKeyPath}",
                $"--Gateway:Operators:Jwt:SigningKeys:1={rsaPath}",
                .. RoleClaim is null ? Array.Empty<string>() : [$"--Gateway:Operators:Jwt:RoleClaim={RoleClaim}"],
            ],
        };
        await Server.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Issuer.Dispose();
        RsaIssuer.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
