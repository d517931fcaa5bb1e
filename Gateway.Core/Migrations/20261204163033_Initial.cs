using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Gateway.Core.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recipient_id = table.Column<long>(type: "bigint", nullable: true),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    details = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    client_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    helo_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    authenticated_user = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    tls_protocol = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    tls_cipher = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    reverse_path = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    body_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    smtp_utf8 = table.Column<bool>(type: "boolean", nullable: false),
                    message_id_header = table.Column<string>(type: "character varying(998)", maxLength: 998, nullable: true),
                    subject = table.Column<string>(type: "text", nullable: true),
                    from_header = table.Column<string>(type: "text", nullable: true),
                    to_header = table.Column<string>(type: "text", nullable: true),
                    date_header = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "message_contents",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    data = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_message_contents", x => x.message_id);
                    table.ForeignKey(
                        name: "fk_message_contents_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "recipients",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempt_count = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    locked_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    locked_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    last_reply_code = table.Column<int>(type: "integer", nullable: true),
                    last_enhanced_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    last_reply_text = table.Column<string>(type: "text", nullable: true),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recipients", x => x.id);
                    table.ForeignKey(
                        name: "fk_recipients_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "trace_headers",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    value = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trace_headers", x => new { x.message_id, x.position });
                    table.ForeignKey(
                        name: "fk_trace_headers_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "delivery_attempts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    recipient_id = table.Column<long>(type: "bigint", nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    duration_ms = table.Column<double>(type: "double precision", nullable: false),
                    next_hop = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    tls_protocol = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    reply_code = table.Column<int>(type: "integer", nullable: true),
                    enhanced_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    reply_text = table.Column<string>(type: "text", nullable: true),
                    outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_delivery_attempts", x => x.id);
                    table.ForeignKey(
                        name: "fk_delivery_attempts_recipients_recipient_id",
                        column: x => x.recipient_id,
                        principalTable: "recipients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_delivery_attempts_message_id",
                table: "delivery_attempts",
                column: "message_id");

            migrationBuilder.CreateIndex(
                name: "ix_delivery_attempts_recipient_id",
                table: "delivery_attempts",
                column: "recipient_id");

            migrationBuilder.CreateIndex(
                name: "ix_events_message_id_id",
                table: "events",
                columns: new[] { "message_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_messages_message_id_header",
                table: "messages",
                column: "message_id_header");

            migrationBuilder.CreateIndex(
                name: "ix_messages_received_at_id",
                table: "messages",
                columns: new[] { "received_at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_messages_reverse_path",
                table: "messages",
                column: "reverse_path");

            migrationBuilder.CreateIndex(
                name: "ix_recipients_address",
                table: "recipients",
                column: "address");

            migrationBuilder.CreateIndex(
                name: "ix_recipients_due",
                table: "recipients",
                column: "next_attempt_at",
                filter: "state IN ('Queued', 'Deferred')");

            migrationBuilder.CreateIndex(
                name: "ix_recipients_message_id",
                table: "recipients",
                column: "message_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "delivery_attempts");

            migrationBuilder.DropTable(
                name: "events");

            migrationBuilder.DropTable(
                name: "message_contents");

            migrationBuilder.DropTable(
                name: "trace_headers");

            migrationBuilder.DropTable(
                name: "recipients");

            migrationBuilder.DropTable(
                name: "messages");
        }
    }
}
