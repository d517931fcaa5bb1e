using Gateway.Api.Cli;
using Gateway.Api.Hosting;
using Gateway.Api.Operations;
using Gateway.Web.Dashboard;

// "users ..." manages SMTP users against the configured database and exits (docs/security.md).
if (args is ["users", .. var userArgs])
{
    return await UsersCommand.RunAsync(userArgs, Console.In, Console.Out, Console.Error);
}

// Other commands (migrate, queue, health, help, ...) go through the dispatcher (docs/operations.md).
// ("apikeys" and "operators" need the whole host and are handled after Build below.)
if (args is not (["apikeys", ..] or ["operators", ..])
    && await GatewayCli.TryRunAsync(args, Console.Out, Console.Error) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);

builder.WebHost.ConfigureKestrel(ListenerSetup.Configure);

// Serve the dashboard's framework script from the build output in every environment, not only Development:
// without it "dotnet run" in Production serves an empty blazor.web.js. Published output has no manifest for
// this to read, and then it does nothing.
builder.WebHost.UseStaticWebAssets();
if (args is ["apikeys", ..] or ["operators", ..])
{
    // The CLI prints a key on stdout for scripts to capture; logs go to stderr so they never mix with it.
    builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(
        o => o.LogToStandardErrorThreshold = LogLevel.Trace);
}

builder.Services.AddGateway(builder.Configuration);
builder.Services.AddGatewayOperations(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o =>
    o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
builder.Services.AddGatewayApi(builder.Configuration);
builder.Services.AddGatewayDashboard(builder.Configuration);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();

// "Gateway.Api apikeys create ..." provisions keys from a shell, e.g. the first one; it never starts listeners.
if (args is ["apikeys", ..])
{
    return await ApiKeysCommand.RunAsync(app.Services, args[1..], Console.Out, Console.Error);
}

// "Gateway.Api operators add|list|passwd|disable|enable" manages dashboard accounts the same way.
if (args is ["operators", ..])
{
    return await OperatorsCommand.RunAsync(app.Services, args[1..], Console.In, Console.Out, Console.Error);
}

app.UseGatewayRoles();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<RequestBodyLimits>();
app.UseDashboardSecurityHeaders();
app.MapStaticAssets();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapGatewayApi();
app.MapGatewayOperations();
app.MapGatewayDashboard();
app.MapRazorComponents<Gateway.Web.Components.App>().AddInteractiveServerRenderMode();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
