using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Wetstoets.Reports;

/// <summary>
/// A template function of one value, called directly with its argument as the template gave it. Scriban's
/// wrapper of a plain delegate, converting the argument, took about 4 µs a call, and the repository's README
/// calls <c>nl.md</c> three times for every review it lists: 31 ms per README over 1,000 reviews, now 17.5 ms
/// (<c>dotnet run -c Release --project tests/Wetstoets.Benchmarks -- readme</c>).
/// </summary>
internal sealed class TextFunction(Func<object?, string> function) : IScriptCustomFunction
{
    public int RequiredParameterCount => 1;

    public int ParameterCount => 1;

    public ScriptVarParamKind VarParamKind => ScriptVarParamKind.Direct;

    public Type ReturnType => typeof(string);

    public ScriptParameterInfo GetParameterInfo(int index) => new(typeof(object), "value");

    public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
        function(arguments.Count > 0 ? arguments[0] : null);

    public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
        new(Invoke(context, callerContext, arguments, blockStatement));
}
