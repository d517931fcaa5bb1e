namespace Gateway.Api.Api.Auth;

/// <summary>Names of the API's authentication scheme, its claims and its policies.</summary>
public static class ApiKeyDefaults
{
    /// <summary>The scheme of the REST API; separate from the dashboard's cookie scheme.</summary>
    public const string Scheme = "ApiKey";

    public const string ScopeClaim = "gateway:scope";

    public const string KeyIdClaim = "gateway:key_id";

    public const string ReadPolicy = "api:read";

    public const string SendPolicy = "api:send";

    public const string ManagePolicy = "api:manage";

    /// <summary>
    /// The OpenAPI document and the reference page: any API key, or an operator signed in to the dashboard (so the
    /// page opens in a browser). <see cref="DocsScheme"/> picks the key when one is sent.
    /// </summary>
    public const string DocsPolicy = "api:docs";

    public const string DocsScheme = "ApiDocs";
}
