namespace Gateway.Tests.Infrastructure;

/// <summary>Tests that share the one PostgreSQL cluster of the run; each still gets its own database.</summary>
[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;
