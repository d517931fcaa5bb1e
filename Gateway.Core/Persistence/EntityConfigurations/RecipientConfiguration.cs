using Gateway.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Core.Persistence.EntityConfigurations;

internal sealed class RecipientConfiguration : IEntityTypeConfiguration<Recipient>
{
    public void Configure(EntityTypeBuilder<Recipient> builder)
    {
        builder.ToTable("recipients");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).UseIdentityAlwaysColumn();
        builder.Property(r => r.Address).HasMaxLength(320);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.LockedBy).HasMaxLength(128);
        builder.Property(r => r.LastEnhancedCode).HasMaxLength(16);
        builder.Property(r => r.DsnNotify).HasMaxLength(32);
        builder.Property(r => r.DsnOriginalRecipient).HasMaxLength(500);

        // The relay's claim query: due recipients in a sendable state, oldest first.
        builder.HasIndex(r => r.NextAttemptAt)
            .HasFilter("state IN ('Queued', 'Deferred')")
            .HasDatabaseName("ix_recipients_due");
        builder.HasIndex(r => r.MessageId);
        builder.HasIndex(r => r.Address);

        builder.HasMany(r => r.Attempts).WithOne().HasForeignKey(a => a.RecipientId).OnDelete(DeleteBehavior.Cascade);
    }
}
