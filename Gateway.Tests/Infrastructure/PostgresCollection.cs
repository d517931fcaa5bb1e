namespace Gateway.Tests.Infrastructure;

/// <summary>Test classes marked <c>[Collection("postgres")]</c> share one <see cref="PostgresFixture"/>.</summary>
[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
}
