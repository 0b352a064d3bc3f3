using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Wetstoets.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ResponseRegister : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RegisteredAt",
                table: "Responses",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RegisteringAt",
                table: "Responses",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RegisteredAt",
                table: "Responses");

            migrationBuilder.DropColumn(
                name: "RegisteringAt",
                table: "Responses");
        }
    }
}
