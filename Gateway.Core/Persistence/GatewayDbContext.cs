using Gateway.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Core.Persistence;

public sealed class GatewayDbContext(DbContextOptions<GatewayDbContext> options) : DbContext(options)
{
    public DbSet<Message> Messages => Set<Message>();

    public DbSet<MessageContent> MessageContents => Set<MessageContent>();

    public DbSet<TraceHeader> TraceHeaders => Set<TraceHeader>();

    public DbSet<Recipient> Recipients => Set<Recipient>();

    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();

    public DbSet<MessageEvent> Events => Set<MessageEvent>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<SmtpUser> SmtpUsers => Set<SmtpUser>();

    public DbSet<Operator> Operators => Set<Operator>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(GatewayDbContext).Assembly);
    }
}
