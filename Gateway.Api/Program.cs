using Gateway.Api.Cli;
using Gateway.Api.Hosting;
using Gateway.Web.Dashboard;

// "users ..." manages SMTP users against the configured database and exits (docs/security.md).
if (args is ["users", .. var userArgs])
{
    return await UsersCommand.RunAsync(userArgs, Console.In, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);

builder.WebHost.ConfigureKestrel(ListenerSetup.Configure);
builder.Services.AddGateway(builder.Configuration);
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

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<RequestBodyLimits>();
app.UseDashboardSecurityHeaders();
app.MapStaticAssets();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapGatewayApi();
app.MapGatewayDashboard();
app.MapRazorComponents<Gateway.Web.Components.App>().AddInteractiveServerRenderMode();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
