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
            return Read(workspace.KeyFile);
        }
        Directory.CreateDirectory(workspace.DataDirectory);
        // Written whole under a temporary name and moved into place: no process ever reads a half-written key.
        var temporary = $"{workspace.KeyFile}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, Convert.ToBase64String(TokenService.NewKey()));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        try
        {
            File.Move(temporary, workspace.KeyFile, overwrite: false);
        }
        catch (IOException) when (File.Exists(workspace.KeyFile))
        {
            // Another process put its key in place first: use theirs.
            File.Delete(temporary);
        }
        return Read(workspace.KeyFile);
    }

    private static byte[] Read(string path)
    {
        try
        {
            var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            return key.Length >= 32 ? key : throw new ConfigurationProblem($"{path} holds a key shorter than 32 bytes");
        }
        catch (FormatException)
        {
            throw new ConfigurationProblem($"{path} is not a base64 key");
        }
    }
}
