using Gateway.Bench;

// The benchmark's own tools; bench/run.sh drives them. Every mode prints "key=value" lines the script reads.
var arguments = BenchArguments.Parse(args.Skip(1));
var mode = args.Length > 0 ? args[0] : "help";
switch (mode)
{
    case "sink":
        await SinkServer.RunAsync(arguments.Number("port"), arguments.Text("stats", string.Empty),
            arguments.Text("save", string.Empty));
        return 0;
    case "load":
        await LoadCommand.RunAsync(arguments);
        return 0;
    case "idle":
        await IdleConnections.RunAsync(arguments.Number("port"), arguments.Number("count"), arguments.Text("ready"));
        return 0;
    case "rest":
        await RestProbe.RunAsync(new Uri(arguments.Text("url")), arguments.Number("requests", 200));
        return 0;
    default:
        Console.Error.WriteLine("usage: Gateway.Bench sink|load|idle|rest --option value ...; see bench/run.sh");
        Console.Error.WriteLine("  sink --port N [--stats FILE] [--save DIR]: a test next hop on 127.0.0.1 that " +
                                "accepts everything; --save writes each message to DIR as NNNNNN.eml");
        return 2;
}
