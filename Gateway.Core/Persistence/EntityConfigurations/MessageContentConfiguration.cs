using Gateway.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Core.Persistence.EntityConfigurations;

internal sealed class MessageContentConfiguration : IEntityTypeConfiguration<MessageContent>
{
    public void Configure(EntityTypeBuilder<MessageContent> builder)
    {
        builder.ToTable("message_contents");
        builder.HasKey(c => c.MessageId);
    }
}
