using System.Runtime.InteropServices;
using Handoff.Benchmarks;

// The benchmark (docs/benchmark.md): the same pre-generated batches through the raw gRPC limit, the real host on the
// in-memory store, and for each durable store asked for, the raw storage limit and the real host on that store.
// Fails (exit 1) on any rejected event, missing acknowledgement or failed read.
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(Options.Usage);
    return 0;
}

// Ctrl+C or SIGTERM: stop measuring and still stop the host processes and the throwaway PostgreSQL.
using var cancel = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

try
{
    var options = Options.Parse(args);
    if (options.Fanout)
    {
        var fanout = await new Fanout(options, cancel.Token).RunAsync();
        fanout.Print(Console.Out);
        await fanout.WriteJsonAsync(options.Out);
        Console.WriteLine($"JSON: {Path.GetFullPath(options.Out)}");
        return 0;
    }

    if (options.Scale)
    {
        var scale = await new Scale(options, cancel.Token).RunAsync();
        scale.Print(Console.Out);
        await scale.WriteJsonAsync(options.Out, options);
        Console.WriteLine($"JSON: {Path.GetFullPath(options.Out)}");
        return 0;
    }

    var bench = new Bench(options, cancel.Token);
    var report = await bench.RunAsync();
    report.Print(Console.Out);
    await report.WriteJsonAsync(options.Out);
    Console.WriteLine($"JSON: {Path.GetFullPath(options.Out)}");
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"BENCHMARK FAILED: {e}");
    return 1;
}

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}
