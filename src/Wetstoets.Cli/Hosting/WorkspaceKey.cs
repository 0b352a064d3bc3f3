using Wetstoets.Hosting;
using Wetstoets.Security;

namespace Wetstoets.Cli.Hosting;

/// <summary>
/// The secret from which invitation tokens are derived: <c>Security:TokenKey</c> (base64, shared by every
/// server of an installation) or else the workspace's <c>wetstoets.key</c>, created on first use.
/// </summary>
public static class WorkspaceKey
{
    public static byte[] Load(Workspace workspace, string? configured)
    {
        if (configured is { Length: > 0 })
        {
            try
            {
                var key = Convert.FromBase64String(configured);
                return key.Length >= 32 ? key : throw new ConfigurationProblem("Security:TokenKey must hold at least 32 bytes (base64)");
            }
            catch (FormatException)
            {
                throw new ConfigurationProblem("Security:TokenKey is not base64");
            }
        }
        if (File.Exists(workspace.KeyFile))
        {
            return Convert.FromBase64String(File.ReadAllText(workspace.KeyFile).Trim());
        }
        Directory.CreateDirectory(workspace.DataDirectory);
        var created = TokenService.NewKey();
        try
        {
            using var stream = new FileStream(workspace.KeyFile, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            using var writer = new StreamWriter(stream);
            writer.Write(Convert.ToBase64String(created));
        }
        catch (IOException) when (File.Exists(workspace.KeyFile))
        {
            // Another process created it first: use theirs.
            return Convert.FromBase64String(File.ReadAllText(workspace.KeyFile).Trim());
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(workspace.KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return created;
    }
}
