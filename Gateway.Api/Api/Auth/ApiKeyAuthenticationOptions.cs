using Microsoft.AspNetCore.Authentication;

namespace Gateway.Api.Api.Auth;

public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions;
