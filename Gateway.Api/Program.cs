using Gateway.Api.Api;
using Gateway.Api.Cli;
using Gateway.Api.Hosting;
using Gateway.Api.Operations;

// "users ..." manages SMTP users against the configured database and exits (docs/security.md).
if (args is ["users", .. var userArgs])
{
    return await UsersCommand.RunAsync(userArgs, Console.In, Console.Out, Console.Error);
}

// Other commands (migrate, queue, health, help, ...) go through the dispatcher (docs/operations.md).
if (await GatewayCli.TryRunAsync(args, Console.Out, Console.Error) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);

builder.WebHost.ConfigureKestrel(ListenerSetup.Configure);
builder.Services.AddGateway(builder.Configuration);
builder.Services.AddGatewayOperations(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o =>
    o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
builder.Services.AddOpenApi();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();

app.UseGatewayRoles();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapStaticAssets();
app.UseAntiforgery();

app.MapGatewayOperations();
app.MapOpenApi();
app.MapMessagesApi();
app.MapRazorComponents<Gateway.Web.Components.App>().AddInteractiveServerRenderMode();

app.Run();
return 0;

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
