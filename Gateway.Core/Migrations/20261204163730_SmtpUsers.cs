using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Core.Migrations
{
    /// <inheritdoc />
    public partial class SmtpUsers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "smtp_users",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    password_hash = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    allowed_senders = table.Column<List<string>>(type: "text[]", nullable: false),
                    messages_per_minute = table.Column<int>(type: "integer", nullable: true),
                    messages_per_day = table.Column<int>(type: "integer", nullable: true),
                    max_recipients_per_message = table.Column<int>(type: "integer", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_smtp_users", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_messages_authenticated_user_received_at",
                table: "messages",
                columns: new[] { "authenticated_user", "received_at" },
                filter: "authenticated_user IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_smtp_users_name",
                table: "smtp_users",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "smtp_users");

            migrationBuilder.DropIndex(
                name: "ix_messages_authenticated_user_received_at",
                table: "messages");
        }
    }
}
