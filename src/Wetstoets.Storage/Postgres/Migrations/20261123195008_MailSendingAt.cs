using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Wetstoets.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class MailSendingAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "SendingAt",
                table: "OutgoingMails",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SendingAt",
                table: "OutgoingMails");
        }
    }
}
