using System.CommandLine;
using Interagency.V1;

namespace Gateway.Cli.Commands;

/// <summary>The envelope options of a message command: its id, creation time and sender, and for some its recipients.</summary>
internal sealed class EnvelopeOptions
{
    private readonly string _defaultCaller;
    private readonly string _defaultRecipients;
    private readonly Option<string>? _to;
    private readonly Option<string>? _character;

    private readonly Option<string> _messageId = new("--message-id")
    {
        Description = "Message id, the idempotency key [default: a new time-ordered UUID]",
        HelpName = "UUID",
    };

    private readonly Option<string> _createdAt = new("--created-at")
    {
        Description = "Creation time, e.g. 2026-03-01T08:00:00Z [default: now]. Fix it together with --message-id to send the very same message again",
        HelpName = "TIME",
    };

    private readonly Option<string> _sender = new("--sender")
    {
        Description = "Sender written in the message header [default: the --as agency]; another one shows the gateway refuse the mismatch",
        HelpName = "AGENCY",
    };

    private EnvelopeOptions(string defaultCaller, string defaultRecipients, bool addressed, bool characterised)
    {
        _defaultCaller = defaultCaller;
        _defaultRecipients = defaultRecipients;
        if (addressed)
        {
            _to = new Option<string>("--to")
            {
                Description = $"Recipients, comma-separated agencies (COUNTRY/CODE) or countries [default: {defaultRecipients}]",
                HelpName = "LIST",
            };
        }

        if (characterised)
        {
            _character = new Option<string>("--offence-character")
            {
                Description = "Character of the offence; anything but ordinary is accepted as HELD_FOR_REVIEW, not forwarded automatically [default: ordinary]",
                HelpName = "CHARACTER",
            };
            _character.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "ordinary", "political", "military", "religious", "racial");
        }
    }

    /// <summary>
    /// Options for a message sent as <paramref name="defaultCaller"/>; <paramref name="defaultRecipients"/> non-empty
    /// adds --to, and <paramref name="characterised"/> adds --offence-character.
    /// </summary>
    public static EnvelopeOptions AddTo(Command command, string defaultCaller, string defaultRecipients = "", bool characterised = false)
    {
        var options = new EnvelopeOptions(defaultCaller, defaultRecipients, defaultRecipients.Length > 0, characterised);
        command.Add(options._messageId);
        command.Add(options._createdAt);
        command.Add(options._sender);
        if (options._to is not null)
        {
            command.Add(options._to);
        }

        if (options._character is not null)
        {
            command.Add(options._character);
        }

        return options;
    }

    public Envelope Read(CliContext cli)
    {
        // Time-ordered (UUIDv7), as docs/integrator-guide.md ("Message ids") recommends to senders: the gateway's store indexes message ids.
        var messageId = cli.Get(_messageId) ?? Guid.CreateVersion7().ToString();
        var recipients = (_to is null ? _defaultRecipients : cli.Get(_to) ?? _defaultRecipients)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        // created_at is part of the content, so replaying a message (same id, same content) needs it fixed.
        var createdAt = MessageCommands.ParseTime(cli.Get(_createdAt), "--created-at") ?? DateTimeOffset.UtcNow;

        var caller = cli.Caller(_defaultCaller);
        var character = _character is null ? OffenceCharacter.Ordinary : Enum.Parse<OffenceCharacter>(cli.Get(_character) ?? "ordinary", ignoreCase: true);

        // The sender normally is the caller; --sender lets an operator see the gateway refuse a mismatch.
        return new Envelope(messageId, caller, cli.Get(_sender) ?? caller, recipients, createdAt.ToUniversalTime(), character);
    }
}
