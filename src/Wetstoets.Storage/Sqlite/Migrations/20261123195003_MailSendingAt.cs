using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Wetstoets.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class MailSendingAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "SendingAt",
                table: "OutgoingMails",
                type: "INTEGER",
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
