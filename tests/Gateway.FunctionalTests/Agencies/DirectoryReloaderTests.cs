using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Agencies;
using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Delivery;
using Gateway.Core.Storage;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Testing;

namespace Gateway.FunctionalTests.Agencies;

/// <summary>The reloader on its own, over a real directory file, with an audit log the test controls.</summary>
public sealed class DirectoryReloaderTests : IDisposable
{
    private const int NotAuditedEvent = 4003;
    private const int UnchangedEvent = 4004;

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("gateway-reloader-").FullName;
    private readonly RecordingAudit _audit = new();
    private readonly FakeLogger<DirectoryReloader> _logger = new();

    public DirectoryReloaderTests() => Write(SampleDirectory.CreateOptions());

    private string DirectoryFile => Path.Combine(_folder, "directory.json");

    public void Dispose() => System.IO.Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_same_content_saved_again_is_not_a_new_snapshot()
    {
        using var source = Source();
        var provider = new AgencyDirectoryProvider(DirectoryReloader.Load(source, DirectoryValidation.Default));
        using var reloader = new DirectoryReloader(source, provider, DirectoryValidation.Default, _audit, new WorkSignal(), _logger);
        await reloader.StartAsync(default);

        Write(SampleDirectory.CreateOptions());
        await Eventually.WaitForAsync(() => _logger.Collector.GetSnapshot(), logs => logs.Any(l => l.Id.Id == UnchangedEvent), "the unchanged file to be read");
        Assert.Single(_audit.Appended);

        await ReplacedAfterAsync(provider, () => Write(WithPartnerReferralsToNcbs()));

        Assert.Equal(2, _audit.Appended.Count);
        Assert.Equal(AgencyDirectory.FromOptions(WithPartnerReferralsToNcbs()).ContentHash, _audit.Appended[1].Details.ContentHash);
        await reloader.StopAsync(default);
    }

    [Fact]
    public async Task An_edit_the_audit_log_cannot_record_does_not_take_effect()
    {
        using var source = Source();
        var provider = new AgencyDirectoryProvider(DirectoryReloader.Load(source, DirectoryValidation.Default));
        using var reloader = new DirectoryReloader(source, provider, DirectoryValidation.Default, _audit, new WorkSignal(), _logger);
        await reloader.StartAsync(default);
        var before = provider.GetDirectory();
        _audit.Fail = true;

        Write(WithPartnerReferralsToNcbs());
        await Eventually.WaitForAsync(() => _logger.Collector.GetSnapshot(), logs => logs.Any(l => l.Id.Id == NotAuditedEvent), "the edit to be refused");

        Assert.Same(before, provider.GetDirectory());
        Assert.False(before.ChangeToken.HasChanged);
        Assert.Single(_audit.Appended);
        await reloader.StopAsync(default);
    }

    private static DirectoryOptions WithPartnerReferralsToNcbs()
    {
        var options = SampleDirectory.CreateOptions();
        options.Routes.Add(SampleDirectory.Route("ForeignPartner", "InterpolNcb", ["Referral"], "H2"));
        return options;
    }

    private static async Task ReplacedAfterAsync(AgencyDirectoryProvider provider, Action edit)
    {
        var replaced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = provider.GetDirectory().ChangeToken.RegisterChangeCallback(_ => replaced.TrySetResult(), null);
        edit();
        await replaced.Task.WaitAsync(Eventually.DefaultTimeout);
    }

    private DirectorySource Source() =>
        new(new ConfigurationBuilder().AddInMemoryCollection([new(DirectorySource.FileKey, DirectoryFile)]).Build());

    private void Write(DirectoryOptions directory)
    {
        var next = Path.Combine(_folder, "directory.json.next");
        File.WriteAllText(next, JsonSerializer.Serialize(directory, Json));
        File.Move(next, DirectoryFile, overwrite: true);
    }

    /// <summary>Records what is appended, or fails as a store that can take no more writes does.</summary>
    private sealed class RecordingAudit : IAuditLog
    {
        private readonly List<AuditEntry> _appended = [];

        public bool Fail { get; set; }

        public IReadOnlyList<AuditEntry> Appended
        {
            get
            {
                lock (_appended)
                {
                    return [.. _appended];
                }
            }
        }

        public Task<long> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new StoreUnavailableException("The store can take no more writes.", new IOException("injected"));
            }

            lock (_appended)
            {
                _appended.AddRange(entries);
                return Task.FromResult((long)_appended.Count);
            }
        }

        public IAsyncEnumerable<AuditRecord> ReadAuditAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<AuditHead?> ReadAuditHeadAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
