namespace Wetstoets.Domain;

/// <summary>The five size classes of municipalities used in every report (SPEC.md §2).</summary>
public static class SizeClass
{
    public const string G4 = "G4";
    public const string Over100k = "100k+";
    public const string From50kTo100k = "50k-100k";
    public const string From20kTo50k = "20k-50k";
    public const string Under20k = "<20k";

    /// <summary>All classes, largest first: the order of every table in a report.</summary>
    public static readonly IReadOnlyList<string> All = [G4, Over100k, From50kTo100k, From20kTo50k, Under20k];

    // The four largest cities form their own class whatever their population.
    private static readonly HashSet<string> G4Codes = ["GM0363", "GM0599", "GM0518", "GM0344"];

    public static string Of(string municipalityCode, int population) =>
        G4Codes.Contains(municipalityCode) ? G4
        : population >= 100_000 ? Over100k
        : population >= 50_000 ? From50kTo100k
        : population >= 20_000 ? From20kTo50k
        : Under20k;
}
