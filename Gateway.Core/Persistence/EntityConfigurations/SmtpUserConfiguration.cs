using Gateway.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Core.Persistence.EntityConfigurations;

internal sealed class SmtpUserConfiguration : IEntityTypeConfiguration<SmtpUser>
{
    public void Configure(EntityTypeBuilder<SmtpUser> builder)
    {
        builder.ToTable("smtp_users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).ValueGeneratedNever();
        builder.Property(u => u.Name).HasMaxLength(255);
        builder.Property(u => u.PasswordHash).HasMaxLength(512);

        // A text[] column: the list is read whole at MAIL FROM and edited whole by the service.
        builder.Property(u => u.AllowedSenders).HasColumnType("text[]");

        builder.HasIndex(u => u.Name).IsUnique();
    }
}
