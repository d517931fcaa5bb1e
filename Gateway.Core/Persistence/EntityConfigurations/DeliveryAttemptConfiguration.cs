using Gateway.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Core.Persistence.EntityConfigurations;

internal sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> builder)
    {
        builder.ToTable("delivery_attempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.NextHop).HasMaxLength(300);
        builder.Property(a => a.TlsProtocol).HasMaxLength(32);
        builder.Property(a => a.EnhancedCode).HasMaxLength(16);
        builder.Property(a => a.Outcome).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(a => a.MessageId);
    }
}
