using Gateway.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Core.Persistence.EntityConfigurations;

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.ToTable("messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.ClientAddress).HasMaxLength(64);
        builder.Property(m => m.HeloName).HasMaxLength(255);
        builder.Property(m => m.AuthenticatedUser).HasMaxLength(255);
        builder.Property(m => m.TlsProtocol).HasMaxLength(32);
        builder.Property(m => m.TlsCipher).HasMaxLength(128);
        builder.Property(m => m.ReversePath).HasMaxLength(320);
        builder.Property(m => m.BodyType).HasMaxLength(16);
        builder.Property(m => m.MessageIdHeader).HasMaxLength(998);
        builder.Property(m => m.DsnReturn).HasMaxLength(4);
        builder.Property(m => m.DsnEnvelopeId).HasMaxLength(100);

        // Listings page by (received_at, id) descending; these indexes serve the keyset and the common filters.
        builder.HasIndex(m => new { m.ReceivedAt, m.Id }).IsDescending();
        builder.HasIndex(m => m.ReversePath);
        builder.HasIndex(m => m.MessageIdHeader);

        // Per-user rate limits count a user's recent messages (SmtpUserService.CheckSendingRateAsync).
        builder.HasIndex(m => new { m.AuthenticatedUser, m.ReceivedAt })
            .HasFilter("authenticated_user IS NOT NULL");

        builder.HasMany(m => m.Recipients).WithOne().HasForeignKey(r => r.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(m => m.TraceHeaders).WithOne().HasForeignKey(t => t.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(m => m.Content).WithOne().HasForeignKey<MessageContent>(c => c.MessageId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
