using Gateway.Api.Cli;
using Gateway.Api.Hosting;
using Gateway.Api.Operations;
using Gateway.Web.Dashboard;

// "users ..." manages SMTP users against the configured database and exits (docs/security.md).
if (args is ["users", .. var userArgs])
{
    return await UsersCommand.RunAsync(userArgs, Console.In, Console.Out, Console.Error);
}

// Other commands (migrate, queue, health, apikeys, operators, help, ...) go through the dispatcher
// (docs/operations.md).
if (await GatewayCli.TryRunAsync(args, Console.Out, Console.Error) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);

builder.WebHost.ConfigureKestrel(ListenerSetup.Configure);

// Serve the dashboard's framework script from the build output in every environment, not only Development:
// without it "dotnet run" in Production serves an empty blazor.web.js. Published output has no manifest for
// this to read, and then it does nothing.
builder.WebHost.UseStaticWebAssets();
builder.Services.AddGatewayHost(builder.Configuration);

var app = builder.Build();

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
