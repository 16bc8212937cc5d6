using System.Diagnostics;
using System.Globalization;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Storage.Sqlite;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Health.V1;
using Interagency.V1;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.FunctionalTests.Cli;

/// <summary>gatewayctl's commands against the real gateway on 127.0.0.1: exit codes 0 and 1, --json that parses back, send FILE.json, verify-audit.</summary>
public sealed class CliGatewayTests(GatewayServer server) : IClassFixture<GatewayServer>, IDisposable
{
    private static readonly TypeRegistry Contract = TypeRegistry.FromFiles(ReferralReflection.Descriptor, CaseUpdateReflection.Descriptor, FugitiveReflection.Descriptor);

    // Strict, as the proto's JSON form is: a field the contract does not define fails the parse.
    private static readonly JsonParser Json = new(JsonParser.Settings.Default.WithTypeRegistry(Contract));

    private readonly string _folder = Directory.CreateTempSubdirectory("gatewayctl-").FullName;

    [Fact]
    public async Task Health_says_the_gateway_serves()
    {
        var run = await RunAsync("health");

        Assert.Equal((0, "gateway: Serving"), (run.ExitCode, run.Output.Trim()));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, Json.Parse<HealthCheckResponse>((await RunAsync("health", "--json")).Output).Status);
    }

    [Fact]
    public async Task Send_referral_prints_the_receipt_and_with_json_the_response_in_the_protos_json_form()
    {
        var messageId = Guid.CreateVersion7().ToString();

        var text = await RunAsync("send-referral");
        var json = await RunAsync("send-referral", "--json", "--message-id", messageId);

        Assert.Equal(0, text.ExitCode);
        Assert.StartsWith("Sending referral ", text.Lines[0]);
        Assert.Contains("resolved recipients: CN/FJPSD", text.Lines);
        Assert.Contains("state:               ACCEPTED", text.Lines);
        Assert.Equal(0, json.ExitCode);
        var response = Json.Parse<SubmitReferralResponse>(Assert.Single(json.Lines));
        Assert.Equal((messageId, MessageState.Accepted), (response.Receipt.MessageId, response.Receipt.State));
        Assert.NotNull(await server.Store.FindMessageAsync(messageId, default));
    }

    [Fact]
    public async Task A_refusal_is_exit_code_1_with_the_reason_and_the_fields_at_fault()
    {
        var run = await RunAsync("send-referral", "--to", "fj");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: InvalidArgument", run.Error);
        Assert.Contains("header.recipients[0]:", run.Error);
    }

    [Fact]
    public async Task A_location_request_is_reported_on_and_withdrawn_with_the_new_commands()
    {
        var request = Json.Parse<RequestLocationResponse>((await RunAsync("send-location-request", "--to", "RU,US", "--json")).Output).Receipt.MessageId;

        var report = await RunAsync("report-location", "--as", "RU/MVD", "--request", request, "--outcome", "not-found", "--json");
        var withdrawal = await RunAsync("withdraw", "--request", request, "--reason", "returned");

        Assert.Equal(0, report.ExitCode);
        var receipt = Json.Parse<ReportLocationResponse>(report.Output).Receipt;
        Assert.Equal(["CN/MPS"], receipt.ResolvedRecipients);
        Assert.Equal(0, withdrawal.ExitCode);
        Assert.StartsWith($"Withdrawing request {request} as CN/MPS", withdrawal.Lines[0]);
        Assert.Contains("state:               ACCEPTED", withdrawal.Lines);
    }

    [Fact]
    public async Task A_coordination_hold_is_cancelled_by_the_referrals_sender()
    {
        var referral = Json.Parse<SubmitReferralResponse>((await RunAsync("send-referral", "--json")).Output).Receipt.MessageId;

        var run = await RunAsync("cancel-hold", "--referral", referral, "--remarks", "operation called off", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(MessageState.Accepted, Json.Parse<CancelHoldResponse>(run.Output).Receipt.State);
    }

    [Fact]
    public async Task Publish_sends_a_status_change_that_subscribe_prints_until_it_is_stopped()
    {
        const string Case = "AR-PFA-2026-CLI1";
        var opening = Samples.CaseOpening("AR/PFA", "CN/MPS", Case);
        await new ReferralService.ReferralServiceClient(server.Channel).SubmitReferralAsync(opening, GatewayServer.As("AR/PFA"));

        var published = await RunAsync("publish", "--as", "AR/PFA", "--case", Case, "--status", "closed", "--json");
        var refused = await RunAsync("publish", "--as", "US/FBI", "--case", Case, "--status", "closed");

        Assert.Equal(0, published.ExitCode);
        var answer = Json.Parse<PublishUpdatesResponse>(published.Output);
        Assert.Equal(UpdateOutcome.Accepted, answer.Outcome);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(": REFUSED", refused.Lines[0]);
        Assert.Contains("NotFound", refused.Output);

        using var stop = new CancellationTokenSource();
        var output = new LineWriter();
        var subscribing = Gatewayctl.RunAsync(["subscribe", "--gateway", server.Address, "--as", "CN/MPS", "--case", Case, "--json"], output, stop.Token);
        await output.WaitForLinesAsync(1);
        await stop.CancelAsync();
        var subscribed = await subscribing;

        Assert.Equal(0, subscribed.ExitCode);
        var update = Json.Parse<SubscribeResponse>(Assert.Single(subscribed.Lines));
        Assert.Equal((answer.MessageId, CaseStatus.Closed), (update.Header.MessageId, update.Update.StatusChange.Status));
    }

    [Fact]
    public async Task Publish_file_sends_every_update_of_a_json_array_in_order_and_reports_each()
    {
        const string Case = "AR-PFA-2026-CLI2";
        await new ReferralService.ReferralServiceClient(server.Channel).SubmitReferralAsync(Samples.CaseOpening("AR/PFA", "CN/MPS", Case), GatewayServer.As("AR/PFA"));
        var updates = new[] { Samples.StatusUpdate("AR/PFA", Case), Samples.StatusUpdate("AR/PFA", Case, CaseStatus.Closed) };
        var file = Write("updates.json", $"[{JsonFormatter.Default.Format(updates[0])}, {JsonFormatter.Default.Format(updates[1])}]");

        var run = await RunAsync("publish", "--as", "AR/PFA", "--file", file);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(updates.Select(u => $"{u.Header.MessageId}: ACCEPTED"), run.Lines.Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)]));
        Assert.All(run.Lines, l => Assert.EndsWith(", to CN/MPS", l));
    }

    [Fact]
    public async Task Subscribe_stopped_by_ctrl_c_exits_0()
    {
        const string Case = "AR-PFA-2026-CLI3";
        await new ReferralService.ReferralServiceClient(server.Channel).SubmitReferralAsync(Samples.CaseOpening("AR/PFA", "CN/MPS", Case), GatewayServer.As("AR/PFA"));
        await RunAsync("publish", "--as", "AR/PFA", "--case", Case, "--status", "closed");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { ChildProcess.BuildOutputFile("Gateway.Cli", "gatewayctl.dll"), "subscribe", "--gateway", server.Address, "--as", "CN/MPS", "--case", Case })
        {
            info.ArgumentList.Add(arg);
        }

        using var subscriber = Process.Start(info)!;
        var errors = subscriber.StandardError.ReadToEndAsync();
        var first = await subscriber.StandardOutput.ReadLineAsync().WaitAsync(ChildProcess.StartTimeout);
        using (var interrupt = Process.Start("kill", ["-INT", subscriber.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        await subscriber.WaitForExitAsync().WaitAsync(ChildProcess.StopTimeout);

        Assert.Contains($" {Case} StatusChange from AR/PFA ", first);
        Assert.Equal((0, string.Empty), (subscriber.ExitCode, await errors));
    }

    [Fact]
    public async Task Send_file_sends_a_request_written_in_the_protos_json_form_named_by_its_type()
    {
        var withType = Samples.Referral();
        var withoutType = Samples.Referral();
        var typed = Write("typed.json", new JsonFormatter(JsonFormatter.Settings.Default.WithTypeRegistry(Contract)).Format(Any.Pack(withType)));
        var untyped = Write("untyped.json", JsonFormatter.Default.Format(withoutType));

        var first = await RunAsync("send", typed);
        var second = await RunAsync("send", untyped, "--type", "SubmitReferralRequest", "--json");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal($"Sending SubmitReferralRequest {withType.Header.MessageId} ({Samples.KidnappingCase}) as CN/PLO-RU", first.Lines[0]);
        Assert.Contains($"message id:          {withType.Header.MessageId}", first.Lines);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(withoutType.Header.MessageId, Json.Parse<SubmitReferralResponse>(second.Output).Receipt.MessageId);
    }

    [Fact]
    public async Task Send_file_refuses_an_invalid_request_locally_with_its_field_paths_and_sends_nothing()
    {
        var request = Samples.Referral();
        request.Header.Sender = "cn/plo-ru";
        request.Referral.Subjects[1].DateOfBirth = "14.03.1988";
        var file = Write("invalid.json", new JsonFormatter(JsonFormatter.Settings.Default.WithTypeRegistry(Contract)).Format(Any.Pack(request)));

        var run = await RunAsync("send", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("breaks the contract of interagency.v1.SubmitReferralRequest; nothing was sent", run.Error);
        Assert.Contains("  header.sender: ", run.Error);
        Assert.Contains("  referral.subjects[1].date_of_birth: ", run.Error);
        Assert.DoesNotContain("14.03.1988", run.Error);
        var audit = await server.Store.ReadAuditAsync(default).ToListAsync();
        Assert.DoesNotContain(audit, a => a.MessageId == request.Header.MessageId);
    }

    [Fact]
    public async Task Send_file_that_names_no_request_or_is_no_json_is_exit_code_2()
    {
        var notARequest = Write("receipt.json", new JsonFormatter(JsonFormatter.Settings.Default.WithTypeRegistry(Contract)).Format(Any.Pack(new Receipt())));
        var notJson = Write("broken.json", "{ \"header\": ");
        var unknownField = Write("unknown.json", "{ \"@type\": \"type.googleapis.com/interagency.v1.SubmitReferralRequest\", \"colour\": \"red\" }");

        foreach (var file in new[] { notARequest, notJson, unknownField })
        {
            var run = await RunAsync("send", file);
            Assert.Equal(2, run.ExitCode);
            Assert.StartsWith("gatewayctl: ", run.Error);
        }
    }

    [Fact]
    public async Task Operator_lists_print_each_page_as_one_json_document()
    {
        var agencies = await RunAsync("agencies", "--json");
        var held = await RunAsync("held", "--json");
        var deadLetters = await RunAsync("dead-letters", "--recipient", "CN/NOBODY", "--json");

        Assert.Equal(0, agencies.ExitCode);
        Assert.Contains(Json.Parse<ListAgenciesResponse>(Assert.Single(agencies.Lines)).Agencies, a => a.Id == "CN/FJPSD");
        Assert.All(held.Lines, l => Json.Parse<ListHeldMessagesResponse>(l));
        Assert.Empty(Json.Parse<ListDeadLettersResponse>(Assert.Single(deadLetters.Lines)).DeadLetters);
    }

    [Fact]
    public async Task A_refused_list_prints_its_error_and_no_table_header()
    {
        var deadLetters = await RunAsync("dead-letters", "--recipient", "nobody");
        var overdue = await RunAsync("overdue", "--sender", "nobody");

        Assert.Equal((1, string.Empty), (deadLetters.ExitCode, deadLetters.Output));
        Assert.StartsWith("error: InvalidArgument", deadLetters.Error);
        Assert.Equal((1, string.Empty), (overdue.ExitCode, overdue.Output));
        Assert.StartsWith("error: InvalidArgument", overdue.Error);
    }

    [Fact]
    public async Task A_list_prints_its_table_header_then_its_count()
    {
        var run = await RunAsync("dead-letters", "--recipient", "CN/NOBODY");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("DELIVERY", run.Lines[0]);
        Assert.Equal("0 dead letters", run.Lines[^1]);
    }

    [Fact]
    public async Task Replay_takes_delivery_ids_space_or_comma_separated_and_says_which_were_no_dead_letters()
    {
        var run = await RunAsync("replay", "--delivery", "999991", "999992,999993", "--delivery", "999994", "--reason", "endpoint repaired");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Nothing replayed: no dead letter matched.", "Not dead letters, left alone: 999991, 999992, 999993, 999994"], run.Lines);
    }

    [Fact]
    public async Task Verify_audit_checks_the_stores_chain_as_the_gateways_command_does()
    {
        await RunAsync("send-referral");
        var path = server.Services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.Path;
        var copy = Path.Combine(_folder, "edited.db");
        using (var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"VACUUM INTO '{copy}'";
            command.ExecuteNonQuery();
        }

        using (var connection = new SqliteConnection($"Data Source={copy};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER audit_append_only_update; UPDATE audit SET actor = 'US/FBI' WHERE seq = 2;";
            command.ExecuteNonQuery();
        }

        var intact = await Gatewayctl.RunAsync("verify-audit", "--store", path);
        var json = await Gatewayctl.RunAsync("verify-audit", "--store", path, "--json");
        var broken = await Gatewayctl.RunAsync("verify-audit", "--store", copy);
        var missing = await Gatewayctl.RunAsync("verify-audit", "--store", Path.Combine(_folder, "none.db"));

        Assert.Equal(0, intact.ExitCode);
        Assert.Matches("^audit log intact: [0-9]+ entries verified$", intact.Output.Trim());
        Assert.Equal(0, json.ExitCode);
        Assert.Contains("\"intact\":true", json.Output);
        Assert.Equal(1, broken.ExitCode);
        Assert.StartsWith("audit log BROKEN at entry 2:", broken.Output);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("There is no store at", missing.Error);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<CliRun> RunAsync(params string[] args) => Gatewayctl.RunAsync([.. args, "--gateway", server.Address]);

    private string Write(string name, string json)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, json);
        return path;
    }
}
