namespace Gateway.Cli.Certs;

/// <summary>
/// Where <c>certs init</c> puts each file under its folder, and so where <c>--profile</c> and <c>token mint --config</c>
/// find them again: one place for the names, since the key of a certificate is found beside it by name.
/// </summary>
internal sealed class CertsLayout
{
    public const string ConfigurationFile = "production.json";

    private const string AgencyFolder = "agencies";
    private const string PublicKeySuffix = ".pub.pem";
    private const string PrivateKeySuffix = ".key.pem";

    public CertsLayout(string folder, IEnumerable<string> agencyIds)
    {
        Folder = Path.GetFullPath(folder);
        Agencies = [.. agencyIds];
    }

    /// <summary>The folder, absolute.</summary>
    public string Folder { get; }

    /// <summary>The folder of the agencies' certificates, inside <see cref="Folder"/>.</summary>
    public string AgencyFolderPath => In(AgencyFolder);

    /// <summary>The directory's agency ids, in its order.</summary>
    public IReadOnlyList<string> Agencies { get; }

    public KeyPair Authority => Pair("agency-ca");

    public string RevocationList => In("agency-ca.crl");

    public KeyPair GatewayServer => Pair("gateway");

    public KeyPair GatewayClient => Pair("gateway-client");

    public string OperatorSigningKey => In("operator-signing" + PrivateKeySuffix);

    public string OperatorSigningPublicKey => In("operator-signing" + PublicKeySuffix);

    public string DataKey => In("data-k1.key");

    public string ReceiptSigningKey => In("receipt-signing.key");

    public string ReceiptPublicKey => In("receipt-signing" + PublicKeySuffix);

    public string Configuration => In(ConfigurationFile);

    /// <summary>The agency's client certificate, which the directory registers as its identity.</summary>
    public KeyPair AgencyClient(string agencyId) => Pair(Path.Combine(AgencyFolder, FileName(agencyId) + ".client"));

    /// <summary>The server certificate the agency's endpoint presents to the gateway.</summary>
    public KeyPair AgencyEndpoint(string agencyId) => Pair(Path.Combine(AgencyFolder, FileName(agencyId) + ".endpoint"));

    /// <summary>Every file certs init writes, in the order it lists them.</summary>
    public IEnumerable<string> Files()
    {
        string[] single = [Authority.Certificate, Authority.Key, RevocationList, GatewayServer.Certificate, GatewayServer.Key,
            GatewayClient.Certificate, GatewayClient.Key, OperatorSigningKey, OperatorSigningPublicKey, DataKey, ReceiptSigningKey, ReceiptPublicKey];
        return single
            .Concat(Agencies.SelectMany(id => new[] { AgencyClient(id), AgencyEndpoint(id) }).SelectMany(pair => new[] { pair.Certificate, pair.Key }))
            .Append(Configuration);
    }

    /// <summary>The private key beside a certificate certs init wrote: the same name with <c>.key</c> for <c>.pem</c>.</summary>
    public static string KeyBeside(string certificatePath) => Path.ChangeExtension(certificatePath, ".key");

    /// <summary>The private key certs init wrote beside a public signing key: <c>NAME.key.pem</c> for <c>NAME.pub.pem</c>.</summary>
    public static string PrivateSigningKeyBeside(string publicKeyPath) =>
        publicKeyPath.EndsWith(PublicKeySuffix, StringComparison.Ordinal)
            ? string.Concat(publicKeyPath.AsSpan(0, publicKeyPath.Length - PublicKeySuffix.Length), PrivateKeySuffix)
            : throw new UsageException($"the signing key {publicKeyPath} is not NAME{PublicKeySuffix} as certs init names it: give the private key with --signing-key");

    // An agency id is COUNTRY/CODE; the slash cannot be in a file name.
    private static string FileName(string agencyId) => agencyId.Replace('/', '-');

    private KeyPair Pair(string name) => new(In(name + ".pem"), In(name + ".key"));

    private string In(string name) => Path.Combine(Folder, name);
}

/// <summary>A certificate (PEM) and its private key (PKCS#8 PEM).</summary>
internal sealed record KeyPair(string Certificate, string Key);
