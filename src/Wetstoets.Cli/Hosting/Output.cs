using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Wetstoets.Common;

namespace Wetstoets.Cli.Hosting;

/// <summary>Exit codes of SPEC.md §3.</summary>
public static class ExitCode
{
    public const int Success = 0;
    public const int Rejected = 1;
    public const int Usage = 2;
    public const int OutsideFailure = 3;
}

/// <summary>stdout carries results (one JSON document with --json); stderr carries messages for people.</summary>
public static class Output
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    public static void Line(string text) => Console.Out.WriteLine(text);

    public static void Message(string text) => Console.Error.WriteLine(text);

    public static void Warn(string text) => Console.Error.WriteLine("warning: " + text);

    /// <summary>Prints a result's warnings, or its problems and the exit code for them.</summary>
    /// <summary>Reports the outcome, with a line for people when it succeeded.</summary>
    public static int Report<T>(Result<T> result, Func<T, string> success)
    {
        if (result.IsSuccess)
        {
            Message(success(result.Value!));
        }
        return Report(result);
    }

    public static int Report<T>(Result<T> result)
    {
        foreach (var warning in result.Warnings)
        {
            Warn(warning);
        }
        foreach (var problem in result.Problems)
        {
            Message("error: " + problem.Message);
        }
        return result.IsSuccess ? ExitCode.Success : ExitCode.Rejected;
    }
}
