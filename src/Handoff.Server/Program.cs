using Handoff.Server.Hosting;

var app = HandoffServer.Build(args);
await app.RunAsync();
