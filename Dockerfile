# syntax=docker/dockerfile:1
# The gateway in one image; docker-compose.yml runs it three times with different Gateway__Roles.
# Build stage: the same restore and publish steps the README and CI use (dotnet tool restore, dotnet build).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props dotnet-tools.json .editorconfig Gateway.sln ./
COPY Gateway.Core/Gateway.Core.csproj Gateway.Core/
COPY Gateway.Smtp/Gateway.Smtp.csproj Gateway.Smtp/
COPY Gateway.Web/Gateway.Web.csproj Gateway.Web/
COPY Gateway.Api/Gateway.Api.csproj Gateway.Api/
RUN dotnet restore Gateway.Api/Gateway.Api.csproj
COPY Gateway.Core/ Gateway.Core/
COPY Gateway.Smtp/ Gateway.Smtp/
COPY Gateway.Web/ Gateway.Web/
COPY Gateway.Api/ Gateway.Api/
RUN dotnet publish Gateway.Api/Gateway.Api.csproj -c Release --no-restore -o /app

# Runtime stage: ASP.NET Core runtime only, a non-root user, no PostgreSQL (the compose file brings its own).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV Urls=http://0.0.0.0:8080 \
    Gateway__Smtp__Port=2525 \
    Gateway__Smtp__BindAddress=* \
    Gateway__DataDirectory=/var/lib/gateway
RUN mkdir -p /var/lib/gateway && chown app:app /var/lib/gateway
USER app
VOLUME /var/lib/gateway
EXPOSE 8080 2525
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["dotnet", "/app/Gateway.Api.dll", "health"]
ENTRYPOINT ["dotnet", "/app/Gateway.Api.dll"]
