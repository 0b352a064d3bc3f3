namespace Wetstoets.Ports;

/// <summary>One response revision as the second register lists it.</summary>
public sealed record RegisterItem(string Key, string ReviewId, int Round, string MunicipalityCode, int Revision, DateTimeOffset ReceivedAt,
    bool IsLate, string Channel, IReadOnlyDictionary<string, string> Answers);

/// <summary>A second register of responses outside Wetstoets (a SharePoint list), kept in step by the worker.</summary>
public interface IResponseRegister
{
    /// <summary>Whether an item with this key is in the register (asked before adding again after an interrupted attempt).</summary>
    Task<bool> ContainsAsync(string key, CancellationToken cancellationToken);

    Task AddAsync(RegisterItem item, CancellationToken cancellationToken);
}
