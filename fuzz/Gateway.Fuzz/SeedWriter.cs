using Gateway.Tests.Shared;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;

namespace Gateway.Fuzz;

/// <summary>
/// Writes the valid sample messages (tests/Shared/Samples.cs) as seeds: one folder per harness, each message as its
/// wire bytes. Ids and times are fixed (times relative to <see cref="FuzzClock"/>) so that the seeds are the same on
/// every run and pass intake, replies included, against <see cref="ReferenceStore"/>.
/// </summary>
internal static class SeedWriter
{
    public static void Write(string root)
    {
        var seeds = new Dictionary<string, IMessage[]>
        {
            ["referral"] = [Stamp(Samples.Referral(), 1), Stamp(Samples.CaseOpening("RU/MVD", "CN/MPS", ReferenceStore.CaseReference), 2)],
            ["location-request"] = [Stamp(Samples.LocationRequest(), 3), Stamp(Samples.LocationRequest("RU"), 4)],
            ["location-report"] =
            [
                Stamp(new ReportLocationRequest
                {
                    Header = Samples.Header("RU/MVD"),
                    Report = new LocationReport
                    {
                        RequestMessageId = ReferenceStore.LocationRequestId,
                        Outcome = LocationOutcome.ProvisionallyArrested,
                        Location = new Location { Country = "RU", Place = "Moscow" },
                        ObservedAt = Timestamp.FromDateTimeOffset(FuzzClock.Now.AddHours(-2)),
                        Remarks = "held at the request of the NCB",
                    },
                }, 5),
            ],
            ["withdrawal"] =
            [
                Stamp(new WithdrawRequestRequest
                {
                    Header = Samples.Header("CN/MPS"),
                    Withdrawal = new Withdrawal
                    {
                        RequestMessageId = ReferenceStore.LocationRequestId, Reason = WithdrawalReason.Returned, Remarks = "returned voluntarily",
                    },
                }, 6),
            ],
            ["hold-release"] =
            [
                Stamp(new ReleaseHoldRequest
                {
                    Header = Samples.Header("RU/MVD"),
                    Release = new HoldRelease { ReferralMessageId = ReferenceStore.ReferralId, Remarks = "victim freed" },
                }, 7),
            ],
            ["hold-cancel"] =
            [
                Stamp(new CancelHoldRequest
                {
                    Header = Samples.Header("CN/PLO-RU"),
                    Cancellation = new HoldCancellation { ReferralMessageId = ReferenceStore.ReferralId, Remarks = "referral sent in error" },
                }, 8),
            ],
            ["case-update"] =
            [
                Stamp(Samples.StatusUpdate("CN/FJPSD", ReferenceStore.CaseReference), 9),
                Stamp(new PublishUpdatesRequest
                {
                    Header = Samples.Header("RU/MVD"),
                    Update = new CaseUpdate { HoldRelease = new HoldRelease { ReferralMessageId = ReferenceStore.ReferralId, Remarks = "victim freed" } },
                }, 10),
            ],
            ["subscribe"] =
            [
                new SubscribeRequest { CaseReferences = { ReferenceStore.CaseReference }, AfterSequence = 42 },
                new SubscribeRequest { CaseReferences = { ReferenceStore.CaseReference, "US-NY-2026-0007" } },
            ],
        };

        foreach (var (harness, messages) in seeds)
        {
            var directory = Path.Combine(root, harness);
            Directory.CreateDirectory(directory);
            for (var i = 0; i < messages.Length; i++)
            {
                File.WriteAllBytes(Path.Combine(directory, $"sample-{i + 1}.pb"), messages[i].ToByteArray());
            }
        }
    }

    /// <summary>Gives the sample's header a fixed id, creation time and the reference case.</summary>
    private static T Stamp<T>(T message, int number)
        where T : IMessage
    {
        var header = (Header)message.Descriptor.FindFieldByName("header").Accessor.GetValue(message);
        header.MessageId = $"00000000-0000-4000-8000-{number:D12}";
        header.CaseReference = ReferenceStore.CaseReference;
        header.CreatedAt = Timestamp.FromDateTimeOffset(FuzzClock.Now.AddMinutes(-1));
        return message;
    }
}
