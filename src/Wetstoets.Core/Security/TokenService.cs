using System.Security.Cryptography;

namespace Wetstoets.Security;

/// <summary>
/// Personal tokens of invitations. A token is derived from a random 128-bit salt (kept with the invitation)
/// and the workspace's secret key (kept outside the database), so the database holds only the token's
/// hash, yet a reminder can repeat the same personal link.
/// </summary>
public sealed class TokenService(byte[] key)
{
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(16);

    public string TokenFor(byte[] salt) => Base64Url(HMACSHA256.HashData(key, salt));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
