using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>reencrypt</c>: asks the gateway to re-encrypt its stored personal data under the active data key
/// (OperationsService.ReencryptStore) and follows its progress. The gateway does the work, as it owns the store's writer;
/// interrupted, the run is resumed with <c>--resume-from</c> and the last position printed. The audit log is not
/// re-encrypted: rewriting a sealed justification would break the hash chain that covers it.
/// </summary>
internal static class ReencryptCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command(
            "reencrypt",
            "Re-encrypt the gateway's stored personal data under its active data key, in small batches while it serves; audit justifications are not re-encrypted (the hash chain covers them), so keep older keys in Gateway:Encryption:Keys, not active, while those must stay readable");
        var batch = new Option<uint>("--batch-size") { Description = "Rows per batch [default: 500]", HelpName = "N" };
        var resume = new Option<string>("--resume-from")
        {
            Description = "Continue an interrupted run from the position it printed, MESSAGE_ROW:DELIVERY_ID",
            HelpName = "POSITION",
        };
        command.Add(batch);
        command.Add(resume);
        CliContext.Bind(command, global, async cli =>
        {
            var request = new ReencryptStoreRequest { BatchSize = cli.Get(batch), ResumeFrom = Position(cli.Get(resume)) };
            using var call = new OperationsService.OperationsServiceClient(cli.Channel).ReencryptStore(request, cli.AsOperator(streaming: true));
            ReencryptStoreResponse? last = null;
            await foreach (var progress in call.ResponseStream.ReadAllAsync(cli.Cancellation))
            {
                last = progress;
                if (cli.Json)
                {
                    cli.WriteJson(progress);
                    continue;
                }

                var position = $"{progress.Position.MessageRow}:{progress.Position.DeliveryId}";
                await cli.Out.WriteLineAsync(
                    $"under key {progress.ActiveKeyId}: messages {progress.Position.MessageRow}/{progress.LastMessageRow}, deliveries {progress.Position.DeliveryId}/{progress.LastDeliveryId}; {progress.RowsScanned} rows read, {progress.ValuesResealed} values resealed (position {position})");
            }

            if (last is not { Done: true })
            {
                await cli.Error.WriteLineAsync("The gateway ended the run before it was done; run the command again with --resume-from and the last position.");
                return GatewayCtl.Refused;
            }

            if (!cli.Json)
            {
                await cli.Out.WriteLineAsync($"Done: every payload and last error is sealed under key {last.ActiveKeyId}. Audit justifications stay under the keys they were sealed with (the hash chain covers them): keep those keys in Gateway:Encryption:Keys, not active, while the justifications must stay readable; without one, a justification shows as (sealed under key ID, not configured).");
            }

            return GatewayCtl.Done;
        });
        return command;
    }

    private static ReencryptionPosition? Position(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(':');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var row)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var delivery)
            ? new ReencryptionPosition { MessageRow = row, DeliveryId = delivery }
            : throw new UsageException("--resume-from must be MESSAGE_ROW:DELIVERY_ID as a previous run printed it, e.g. 1200:0");
    }
}
