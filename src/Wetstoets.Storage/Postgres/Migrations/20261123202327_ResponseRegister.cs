using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Wetstoets.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ResponseRegister : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RegisteredAt",
                table: "Responses",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RegisteringAt",
                table: "Responses",
                type: "timestamp with time zone",
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
