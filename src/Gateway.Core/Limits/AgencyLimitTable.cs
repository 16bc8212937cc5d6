using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Limits;

/// <summary>The limits of every agency, resolved once from validated options: one lookup per call.</summary>
public sealed class AgencyLimitTable
{
    private readonly AgencyLimit _default;
    private readonly Dictionary<AgencyId, AgencyLimit> _overrides;

    public AgencyLimitTable(IOptions<AgencyLimitsOptions> options)
        : this(options.Value)
    {
    }

    public AgencyLimitTable(AgencyLimitsOptions options)
    {
        var builtIn = AgencyLimitSettings.SafeDefaults();
        _default = Resolve(options.Default, builtIn);
        _overrides = options.Agencies.ToDictionary(o => AgencyId.Parse(o.Key), o => Resolve(o.Value, options.Default, builtIn));
    }

    public AgencyLimit For(AgencyId agency) => _overrides.TryGetValue(agency, out var limit) ? limit : _default;

    private static AgencyLimit Resolve(params AgencyLimitSettings[] layers)
    {
        var sizes = new Dictionary<MessageKind, int>();
        foreach (var layer in layers.Reverse())
        {
            foreach (var (name, bytes) in layer.MaxMessageBytes)
            {
                sizes[AgencyLimitRules.ParseKind(name) ?? throw new ArgumentException($"Unknown message kind '{name}'.", nameof(layers))] = bytes;
            }
        }

        return new AgencyLimit(
            First(layers, s => s.PermitsPerSecond),
            First(layers, s => s.Burst),
            First(layers, s => s.MaxConcurrentStreams),
            First(layers, s => s.MaxRecipients),
            sizes);
    }

    private static int First(AgencyLimitSettings[] layers, Func<AgencyLimitSettings, int?> field) =>
        layers.Select(field).FirstOrDefault(v => v is not null) ?? throw new ArgumentException("The built-in defaults set every field.", nameof(layers));
}
