using Gateway.Fuzz;
using Google.Protobuf;
using SharpFuzz;

// Usage (fuzz/README.md):
//   Gateway.Fuzz <harness>                        run under afl-fuzz
//   Gateway.Fuzz replay <harness> <file|dir>...   run inputs once and print intake's verdict
//   Gateway.Fuzz seeds <dir>                      write the valid samples as seeds, one folder per harness
switch (args)
{
    case ["seeds", var directory]:
        SeedWriter.Write(directory);
        return 0;
    case ["replay", var name, .. var inputs] when Harnesses.Find(name) is { } harness && inputs.Length > 0:
        return Replay.Run(harness, inputs);
    case [var name] when Harnesses.Find(name) is { } harness:
        IntakePath? path = null;
        Fuzzer.OutOfProcess.Run(stream =>
        {
            path ??= new IntakePath();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            FuzzRun.Execute(harness, path, buffer.ToArray());
        });
        return 0;
    default:
        Console.Error.WriteLine("usage: Gateway.Fuzz <harness>");
        Console.Error.WriteLine("       Gateway.Fuzz replay <harness> <file|dir>...");
        Console.Error.WriteLine("       Gateway.Fuzz seeds <dir>");
        Console.Error.WriteLine($"harnesses: {string.Join(", ", Harnesses.All.Select(h => h.Name))}");
        return 2;
}

/// <summary>One input through one harness, as both fuzzing and replay run it.</summary>
internal static class FuzzRun
{
    /// <summary>
    /// One input through one harness. The parser's refusal is the only expected exception: intake answers every other
    /// bad input with a refusal, so anything else thrown is a defect and propagates for AFL to record as a crash.
    /// </summary>
    public static Verdict Execute(Harness harness, IntakePath path, byte[] input)
    {
        try
        {
            return harness.Run(path, input);
        }
        catch (InvalidProtocolBufferException)
        {
            return Verdict.Undecodable;
        }
    }
}
