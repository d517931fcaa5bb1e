using Gateway.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Core.Persistence.EntityConfigurations;

internal sealed class TraceHeaderConfiguration : IEntityTypeConfiguration<TraceHeader>
{
    public void Configure(EntityTypeBuilder<TraceHeader> builder)
    {
        builder.ToTable("trace_headers");
        builder.HasKey(t => new { t.MessageId, t.Position });
    }
}
