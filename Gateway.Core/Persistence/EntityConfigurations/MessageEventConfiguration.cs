using Gateway.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Core.Persistence.EntityConfigurations;

internal sealed class MessageEventConfiguration : IEntityTypeConfiguration<MessageEvent>
{
    public void Configure(EntityTypeBuilder<MessageEvent> builder)
    {
        builder.ToTable("events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.Actor).HasMaxLength(255);
        builder.HasIndex(e => new { e.MessageId, e.Id });

        // The writing transaction's id (xid8 fits a bigint for the life of any cluster); see Events/EventFeed.
        builder.Property(e => e.TransactionId).HasColumnName("xid")
            .HasDefaultValueSql("pg_current_xact_id()::text::bigint").ValueGeneratedOnAdd();
        builder.HasIndex(e => new { e.TransactionId, e.Id });
        builder.HasIndex(e => e.At);
    }
}
