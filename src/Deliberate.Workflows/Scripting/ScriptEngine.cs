using System.Collections.Concurrent;

using System.Text.Json.Nodes;
using Acornima.Ast;
using Deliberate.Workflows.Model;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;

namespace Deliberate.Workflows.Scripting;

/// <summary>Hard limits for one script evaluation.</summary>
public sealed record ScriptLimits
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(500);
    public int MaxStatements { get; init; } = 50_000;
    public long MaxMemoryBytes { get; init; } = 16 * 1024 * 1024;
    public int MaxRecursion { get; init; } = 64;
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromMilliseconds(200);
    public int MaxCodeLength { get; init; } = 20_000;
}

/// <summary>A script that failed: bad syntax, a thrown error, or a limit reached.</summary>
public sealed class ScriptException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Runs the JavaScript of conditions and expressions in Jint, sandboxed: no CLR access, and
/// time, statement, memory and recursion limits, so a runaway script faults its instance
/// instead of stalling the server. Each evaluation gets a fresh engine; parsed scripts are cached.
/// </summary>
public sealed class ScriptEngine(ScriptLimits? limits = null)
{
    const int CacheSize = 2_000;
    readonly ScriptLimits limits = limits ?? new ScriptLimits();
    readonly ConcurrentDictionary<string, CompiledScript> prepared = new(StringComparer.Ordinal);

    /// <summary>
    /// A parsed script with what it needs. <see cref="GuardFirst"/>: whether the guards (the repeat guard and the
    /// result converter) go in before it runs. A
    /// script that calls nothing cannot reach <c>String.prototype.repeat</c>, and one that names neither JSON nor
    /// Object cannot have changed what the result converter uses, so for such a script the converter is defined
    /// only if its result needs it. <see cref="Globals"/>: the globals it names (null: it may reach any of them
    /// through <c>this</c>, <c>globalThis</c>, eval or a constructor, so it gets them all).
    /// </summary>
    sealed record CompiledScript(Prepared<Script> Script, bool GuardFirst, ReferencedGlobals? Globals);

    public ScriptLimits Limits => limits;

    /// <summary>Evaluates <paramref name="code"/> (an expression or statements) and returns its value as JSON.</summary>
    /// <param name="globals">Names visible to the script; "variables" holds the workflow's variables.</param>
    public JsonNode? Evaluate(string code, IReadOnlyDictionary<string, JsonNode?> globals, CancellationToken cancellationToken = default)
    {
        if (TryReadPath(code, globals, out var found)) return found;
        var script = Prepare(code);
        var engine = new Engine(options =>
        {
            options
                .Strict()
                .TimeoutInterval(limits.Timeout)
                .MaxStatements(limits.MaxStatements)
                .LimitMemory(limits.MaxMemoryBytes)
                .LimitRecursion(limits.MaxRecursion)
                .CancellationToken(cancellationToken);
            // Regex literals get RegexTimeout from the parsing options below. Jint 4.16 ignores both settings for
            // a RegExp built at run time (new RegExp, match('...')), which keeps Acornima's fixed 5 s timeout.
            options.Constraints.RegexTimeout = limits.RegexTimeout;
        });
        try
        {
            // Guards first, while String and JSON are still the built-ins (a variable may be named either).
            if (script.GuardFirst)
            {
                engine.Execute(RepeatGuard);
                engine.Execute(Converter);
            }
            var parser = new JsonParser(engine);
            foreach (var (name, value) in globals)
                if (script.Globals is null || script.Globals.Contains(name))
                    engine.SetValue(name, ToJs(parser, value));
            var result = engine.Evaluate(script.Script);
            return ToJson(engine, result, script.GuardFirst);
        }
        catch (JavaScriptException e) { throw new ScriptException($"Script error: {e.Message}", e); }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException e) { throw new ScriptException("A regular expression in the script took too long.", e); }
        catch (TimeoutException e) { throw new ScriptException($"Script ran longer than {limits.Timeout.TotalMilliseconds} ms.", e); }
        catch (StatementsCountOverflowException e) { throw new ScriptException($"Script ran more than {limits.MaxStatements} statements.", e); }
        catch (MemoryLimitExceededException e) { throw new ScriptException($"Script used more than {limits.MaxMemoryBytes / 1024 / 1024} MB.", e); }
        catch (RecursionDepthOverflowException e) { throw new ScriptException($"Script recursed deeper than {limits.MaxRecursion}.", e); }
        catch (ExecutionCanceledException e) { throw new ScriptException("Script was cancelled.", e); }
        catch (JintException e) { throw new ScriptException($"Script failed: {e.Message}", e); }
    }

    /// <summary>
    /// The common expression is a plain property path such as <c>variables.gridId</c>: read it straight
    /// from the JSON when every step is an own property of an object, which is exactly what JavaScript
    /// would give. Anything else (a missing property, an array, a call) goes to Jint.
    /// </summary>
    static bool TryReadPath(string code, IReadOnlyDictionary<string, JsonNode?> globals, out JsonNode? value)
    {
        value = null;
        var path = code.AsSpan().Trim();
        if (path.Length == 0 || path.Length > 200) return false;
        var first = true;
        JsonNode? current = null;
        foreach (var range in path.Split('.'))
        {
            var name = path[range];
            if (!IsIdentifier(name)) return false;
            if (first)
            {
                if (!globals.TryGetValue(name.ToString(), out current)) return false;
                first = false;
            }
            else if (current is JsonObject obj && obj.TryGetPropertyValue(name.ToString(), out var next)) current = next;
            else return false;
        }
        value = current?.DeepClone();
        return true;
    }

    static bool IsIdentifier(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || !(char.IsAsciiLetter(name[0]) || name[0] is '_' or '$')) return false;
        foreach (var c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '$')) return false;
        return true;
    }

    /// <summary>JavaScript truthiness of the expression's value.</summary>
    public bool EvaluateCondition(string code, IReadOnlyDictionary<string, JsonNode?> globals, CancellationToken cancellationToken = default) =>
        Evaluate(code, globals, cancellationToken) switch
        {
            null => false,
            JsonValue v when v.TryGetValue(out bool b) => b,
            JsonValue v when v.TryGetValue(out double d) => d != 0 && !double.IsNaN(d),
            JsonValue v when v.TryGetValue(out string? s) => s.Length > 0,
            _ => true,
        };

    /// <summary>The syntax error in <paramref name="code"/>, or null when it parses.</summary>
    public string? CheckSyntax(string code)
    {
        try { Prepare(code); return null; }
        catch (ScriptException e) { return e.Message; }
    }

    CompiledScript Prepare(string code)
    {
        if (code.Length > limits.MaxCodeLength)
            throw new ScriptException($"Script is longer than {limits.MaxCodeLength} characters.");
        if (prepared.TryGetValue(code, out var compiled)) return compiled;
        Prepared<Script> script;
        try
        {
            script = Engine.PrepareScript(code, strict: true, options: new ScriptPreparationOptions
            {
                ParsingOptions = ScriptParsingOptions.Default with { RegexTimeout = limits.RegexTimeout },
                CollectReferencedGlobals = true,
            });
        }
        catch (Exception e) when (e is not ScriptException)
        {
            throw new ScriptException($"Script does not parse: {e.Message}", e);
        }
        var names = script.ReferencedGlobals;
        var dynamic = names is null || names.HasDirectEvalCall || DynamicGlobalAccess.Any(n => names.Contains(n))
            || code.Contains("this", StringComparison.Ordinal) || code.Contains("constructor", StringComparison.Ordinal);
        var guardFirst = dynamic || script.Program is not { } program || Calls(program)
            || names!.Contains("JSON") || names.Contains("Object") || names.Contains(ResultConverter);
        compiled = new CompiledScript(script, guardFirst, dynamic ? null : names);
        if (prepared.Count >= CacheSize) prepared.Clear();
        prepared[code] = compiled;
        return compiled;
    }

    /// <summary>Names through which a script can reach globals it does not name.</summary>
    static readonly string[] DynamicGlobalAccess = ["globalThis", "eval", "Function"];

    /// <summary>Whether the script calls or constructs anything, or tags a template: the only ways to run a built-in.</summary>
    static bool Calls(Node node)
    {
        if (node is CallExpression or NewExpression or TaggedTemplateExpression) return true;
        foreach (var child in node.ChildNodes)
            if (Calls(child)) return true;
        return false;
    }

    /// <summary>A global's value for the engine: text, numbers and booleans as they are, the rest through JSON.</summary>
    static JsValue ToJs(JsonParser parser, JsonNode? value) => value switch
    {
        null => JsValue.Null,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => new JsString(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.True => JsBoolean.True,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.False => JsBoolean.False,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number && v.TryGetValue(out double d) => new JsNumber(d),
        _ => parser.Parse(value.ToJsonString(WorkflowJson.Options)),
    };

    // Jint checks its limits between statements, so a single built-in call can outgrow them. These guards
    // cover what one call can blow up: String.prototype.repeat (a gigabyte in one call), and the result,
    // which is converted with a replacer so that each value converted is a statement under the limits
    // (a shared sub-array doubled 25 times is small in memory but 2^25 values as JSON).
    Prepared<Script>? repeatGuard, converter;

    Prepared<Script> RepeatGuard => repeatGuard ??= Engine.PrepareScript($$"""
        (() => {
          const repeat = String.prototype.repeat, toText = String, toNumber = Number, TooLarge = RangeError;
          Object.defineProperty(String.prototype, 'repeat', {
            value: function (count) {
              if (this !== null && this !== undefined && toText(this).length * toNumber(count) > {{limits.MaxMemoryBytes / 2}})
                throw new TooLarge('The repeated text would be larger than a script may use.');
              return repeat.call(this, count);
            },
            writable: true, configurable: true, enumerable: false,
          });
        })();
        """, strict: true);

    Prepared<Script> Converter => converter ??= Engine.PrepareScript($$"""
        (() => {
          const stringify = JSON.stringify;
          Object.defineProperty(globalThis, '{{ResultConverter}}', {
            value: function (value) { return stringify(value, function (key, item) { return item; }); },
            writable: false, configurable: false, enumerable: false,
          });
        })();
        """, strict: true);

    const string ResultConverter = "__deliberateResultToJson";

    /// <summary>
    /// The result as JSON, as <c>JSON.stringify</c> gives it. Text, numbers and booleans are converted here;
    /// objects and arrays by the converter, one statement per value, under the limits.
    /// </summary>
    JsonNode? ToJson(Engine engine, JsValue value, bool guarded)
    {
        if (value.IsUndefined() || value.IsNull()) return null;
        if (value.IsString()) return JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(value.AsString()));
        if (value.IsBoolean()) return JsonNode.Parse(value.AsBoolean() ? "true" : "false");
        if (value.IsNumber())
        {
            var number = value.AsNumber();
            return double.IsFinite(number) ? JsonNode.Parse(TypeConverter.ToString(number)) : null;
        }
        if (!guarded) engine.Execute(Converter); // a script that named neither JSON nor Object left them as they were
        var text = engine.Invoke(ResultConverter, value);
        if (text.IsUndefined()) return null;
        if (!text.IsString()) throw new ScriptException("The script's result cannot be converted to JSON.");
        return JsonNode.Parse(text.AsString());
    }
}
