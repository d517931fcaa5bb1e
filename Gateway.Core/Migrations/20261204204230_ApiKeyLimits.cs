using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Core.Migrations
{
    /// <inheritdoc />
    public partial class ApiKeyLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "messages_per_day",
                table: "api_keys",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "messages_per_minute",
                table: "api_keys",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "messages_per_day",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "messages_per_minute",
                table: "api_keys");
        }
    }
}
