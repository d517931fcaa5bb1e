using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Gateway.Core.Persistence;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without starting the gateway (or its private database);
/// adding a migration never connects, so the connection string only has to parse.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<GatewayDbContext>
{
    public GatewayDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<GatewayDbContext>()
        .UseNpgsql("Host=localhost;Database=gateway_design")
        .UseSnakeCaseNamingConvention()
        .Options);
}
