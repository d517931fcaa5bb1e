using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Core.Migrations
{
    /// <inheritdoc />
    public partial class SmtpDsnAndLongLines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "dsn_notify",
                table: "recipients",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "dsn_original_recipient",
                table: "recipients",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "dsn_envelope_id",
                table: "messages",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "dsn_return",
                table: "messages",
                type: "character varying(4)",
                maxLength: 4,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "has_long_lines",
                table: "messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "dsn_notify",
                table: "recipients");

            migrationBuilder.DropColumn(
                name: "dsn_original_recipient",
                table: "recipients");

            migrationBuilder.DropColumn(
                name: "dsn_envelope_id",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "dsn_return",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "has_long_lines",
                table: "messages");
        }
    }
}
