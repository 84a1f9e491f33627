using System.Collections.Concurrent;

using System.Text.Json.Nodes;
using Acornima;
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
    /// <summary>
    /// Wall-clock backstop. The statement, memory and recursion limits are what stop a runaway script, and they count
    /// the same on any machine; the clock also counts the time the script's thread waits for a core, so under heavy
    /// load a 1 ms script took over 500 ms and faulted a legitimate step. 2 s stops nothing a real script needs.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);
    public int MaxStatements { get; init; } = 50_000;
    public long MaxMemoryBytes { get; init; } = 16 * 1024 * 1024;
    public int MaxRecursion { get; init; } = 64;
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromMilliseconds(200);
    public int MaxCodeLength { get; init; } = 20_000;
    /// <summary>How deep the built-ins that walk nested values (join, toString, JSON, flat, bind) may go; also the result's depth.</summary>
    public int MaxNesting { get; init; } = 64;
    /// <summary>The longest text a built-in may build (characters; 8 MB, half the memory limit).</summary>
    public int MaxStringLength { get; init; } = 4 * 1024 * 1024;
    /// <summary>The longest array (Jint's MaxArraySize).</summary>
    public uint MaxArrayLength { get; init; } = 1_000_000;
    /// <summary>The largest result, as UTF-8 JSON: what one variable may hold.</summary>
    public int MaxResultBytes { get; init; } = 256 * 1024;
    /// <summary>
    /// How long the caller waits for a script stuck inside one native built-in (which no limit reaches) before it
    /// gives up on it; the script is then cancelled at its next statement and its thread retired.
    /// </summary>
    public TimeSpan HardTimeout { get; init; } = TimeSpan.FromSeconds(3);
}

/// <summary>A script that failed: bad syntax, a thrown error, or a limit reached.</summary>
public sealed class ScriptException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Runs the JavaScript of conditions and expressions in Jint, sandboxed: no CLR access, and
/// time, statement, memory and recursion limits, so a runaway script faults its instance
/// instead of stalling the server. Each evaluation gets a fresh engine; parsed scripts are cached.
/// A plain expression (no call, function, assignment or loop, shallow) runs on the caller's thread: what it can
/// build is bounded by its own size and the variables'. Anything else runs on a <see cref="ScriptThreads">script
/// thread</see> with a large stack, behind <see cref="ScriptGuards"/>: nothing a script does can overflow the
/// stack of the process or allocate past the limits inside one built-in.
/// </summary>
public sealed class ScriptEngine(ScriptLimits? limits = null)
{
    const int CacheSize = 2_000;
    readonly ScriptLimits limits = limits ?? new ScriptLimits();
    readonly ConcurrentDictionary<string, CompiledScript> prepared = new(StringComparer.Ordinal);

    /// <summary>
    /// A parsed script with what it needs. <see cref="Plain"/>: an expression that calls nothing, defines no function,
    /// assigns nothing and is shallow, so it runs on the caller's thread without guards. <see cref="Globals"/>: the
    /// globals it names (null: it may reach any of them through <c>this</c>, <c>globalThis</c>, eval or a
    /// constructor, so it gets them all).
    /// </summary>
    sealed record CompiledScript(Prepared<Script> Script, bool Plain, ReferencedGlobals? Globals);

    public ScriptLimits Limits => limits;

    /// <summary>Evaluates <paramref name="code"/> (an expression or statements) and returns its value as JSON.</summary>
    /// <param name="globals">Names visible to the script; "variables" holds the workflow's variables.</param>
    public JsonNode? Evaluate(string code, IReadOnlyDictionary<string, JsonNode?> globals, CancellationToken cancellationToken = default)
    {
        if (TryReadPath(code, globals, out var found)) return found;
        var script = Prepare(code);
        if (script.Plain) return Run(script, globals, cancellationToken);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        return ScriptThreads.Run(() => Run(script, globals, cancel.Token), limits.HardTimeout, cancel);
    }

    JsonNode? Run(CompiledScript script, IReadOnlyDictionary<string, JsonNode?> globals, CancellationToken cancellationToken)
    {
        var engine = new Engine(options =>
        {
            options
                .Strict()
                .TimeoutInterval(limits.Timeout)
                .MaxStatements(limits.MaxStatements)
                .LimitMemory(limits.MaxMemoryBytes)
                .LimitRecursion(limits.MaxRecursion)
                .MaxArraySize(limits.MaxArrayLength)
                .CancellationToken(cancellationToken);
            // A catchable RangeError instead of a dead process when a recursion through some route not counted by
            // the recursion limit (a getter, a coercion) nears the end of the stack.
            options.Constraints.StackOverflowGuard = true;
            // Regex literals get RegexTimeout from the parsing options; a RegExp built at run time gets it from the
            // prepared script's parser options (see WithRegexTimeout).
            options.Constraints.RegexTimeout = limits.RegexTimeout;
        });
        try
        {
            // Guards first, while String and JSON are still the built-ins (a variable may be named either).
            var guards = script.Plain ? ScriptGuards.ForResult(engine, limits) : ScriptGuards.Install(engine, limits);
            if (globals.ContainsKey("JSON")) guards.CaptureJson();
            var parser = new JsonParser(engine);
            foreach (var (name, value) in globals)
                if (script.Globals is null || script.Globals.Contains(name))
                    engine.SetValue(name, ToJs(parser, value));
            var result = engine.Evaluate(script.Script);
            return ToJson(engine, guards, result);
        }
        catch (JavaScriptException e) { throw new ScriptException($"Script error: {e.Message}", e); }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException e)
        {
            throw new ScriptException("A regular expression in the script took too "
            + "long.", e);
        }
        catch (TimeoutException e) { throw new ScriptException($"Script ran longer than {limits.Timeout.TotalMilliseconds} ms.", e); }
        catch (StatementsCountOverflowException e) { throw new ScriptException($"Script ran more than {limits.MaxStatements} statements.", e); }
        catch (MemoryLimitExceededException e)
        {
            throw new ScriptException($"Script used more than {limits.MaxMemoryBytes / 1024 / 1024} MB "
            + $"({e.Message}).", e);
        }
        catch (RecursionDepthOverflowException e) { throw new ScriptException($"Script recursed deeper than {limits.MaxRecursion}.", e); }
        catch (ExecutionCanceledException e) { throw new ScriptException("Script was cancelled.", e); }
        catch (ScriptLimitException e) { throw new ScriptException(e.Message, e); }
        catch (JintException e) { throw new ScriptException($"Script failed: {e.Message}", e); }
        // e.g. a sort comparator that contradicts itself
        catch (InvalidOperationException e) { throw new ScriptException($"Script failed: {e.Message}", e); }
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
        if (script.Program is { } parsed && MostJoinsInOneStatement(parsed) > MaxJoinsPerStatement)
            throw new ScriptException($"Script joins more than {MaxJoinsPerStatement} texts in one statement; split it into several.");
        var names = script.ReferencedGlobals;
        var dynamic = names is null || names.HasDirectEvalCall || DynamicGlobalAccess.Any(n => names.Contains(n))
            || code.Contains("this", StringComparison.Ordinal) || code.Contains("constructor", StringComparison.Ordinal);
        var plain = script.Program is { } program && IsPlain(program);
        compiled = new CompiledScript(plain ? script : WithRegexTimeout(script), plain, dynamic ? null : names); // a plain one builds no RegExp
        if (prepared.Count >= CacheSize) prepared.Clear();
        prepared[code] = compiled;
        return compiled;
    }

    /// <summary>
    /// Jint joins texts with <c>+</c>, <c>+=</c> and template literals natively, and checks the memory limit only between
    /// statements, so one statement with n joins can build n times the largest text the limit lets exist (a 10,000-term
    /// <c>s + s + …</c> fits in 20,000 characters: gigabytes). At most 16 per statement bounds that to ~17 × 8 MB; the
    /// shipped workflows use at most 9.
    /// </summary>
    const int MaxJoinsPerStatement = 16;

    static int MostJoinsInOneStatement(Node root)
    {
        var most = 0;
        var count = 0;
        Visit(root, ref count);
        return Math.Max(most, count);

        void Visit(Node node, ref int joins)
        {
            switch (node)
            {
                case Statement or FunctionExpression or ArrowFunctionExpression:
                    // A statement of its own (or a function's body): its joins are counted apart, the memory limit is checked before it.
                    var own = 0;
                    foreach (var child in node.ChildNodes) Visit(child, ref own);
                    most = Math.Max(most, own);
                    return;
                case NonLogicalBinaryExpression { Operator: Operator.Addition }:
                case AssignmentExpression { Operator: Operator.AdditionAssignment }:
                    joins++;
                    break;
                case TemplateLiteral template:
                    joins += template.Expressions.Count;
                    break;
            }
            foreach (var child in node.ChildNodes) Visit(child, ref joins);
        }
    }

    /// <summary>Names through which a script can reach globals it does not name.</summary>
    static readonly string[] DynamicGlobalAccess = ["globalThis", "eval", "Function"];

    /// <summary>
    /// A single expression that calls nothing (no call, new or tagged template: the only ways to run a built-in
    /// explicitly), defines no function, assigns nothing, nests at most 32 deep and joins at most 16 texts. What it
    /// can build is bounded by its own size and its variables' (at most 64 deep, 1 MB), so the implicit conversions
    /// it may make (an array to text) stay shallow and small on any thread.
    /// </summary>
    static bool IsPlain(Script program)
    {
        if (program.Body.Count != 1 || program.Body[0] is not ExpressionStatement statement) return false;
        var joins = 0;
        return Walk(statement.Expression, 0);

        bool Walk(Node node, int depth)
        {
            switch (node)
            {
                case CallExpression or NewExpression or TaggedTemplateExpression or ImportExpression
                    or FunctionExpression or ArrowFunctionExpression or ClassExpression
                    or AssignmentExpression or UpdateExpression or YieldExpression or AwaitExpression:
                    return false;
                case NonLogicalBinaryExpression { Operator: Operator.Addition }:
                    joins++;
                    break;
                case TemplateLiteral template:
                    joins += template.Expressions.Count;
                    break;
            }
            if (depth > 32 || joins > 16) return false;
            foreach (var child in node.ChildNodes)
                if (!Walk(child, depth + 1)) return false;
            return true;
        }
    }

    static readonly System.Reflection.ConstructorInfo? PreparedConstructor = typeof(Prepared<Script>).GetConstructor(
        System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic,
            [typeof(Script), typeof(ParserOptions), typeof(ReferencedGlobals)]);

    /// <summary>
    /// Jint 4.16 gives a RegExp built at run time (new RegExp, '...'.match('...'), split by a pattern) the match timeout
    /// of the running script's Acornima parser options, which nothing public sets: 5 s. The prepared script is made
    /// again with those options carrying <see cref="ScriptLimits.RegexTimeout"/> (through its internal constructor;
    /// a test fails if a Jint upgrade takes that away).
    /// </summary>
    Prepared<Script> WithRegexTimeout(Prepared<Script> script)
    {
        if (PreparedConstructor is null || script.ParserOptions is null) return script;
#pragma warning disable CS0618 // ParserOptions.RegexTimeout is obsolete, and still what Jint reads for run-time regexes
        var options = script.ParserOptions with { RegexTimeout = limits.RegexTimeout };
#pragma warning restore CS0618
        return (Prepared<Script>)PreparedConstructor.Invoke([script.Program, options, script.ReferencedGlobals]);
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

    /// <summary>
    /// The result as JSON, as <c>JSON.stringify</c> gives it, refused past <see cref="ScriptLimits.MaxResultBytes"/>.
    /// Text, numbers and booleans are converted here; objects and arrays through the guarded JSON.stringify, which
    /// counts nesting, length and time as it goes (a shared sub-array doubled 25 times is small in memory but
    /// 2^25 values as JSON).
    /// </summary>
    JsonNode? ToJson(Engine engine, ScriptGuards guards, JsValue value)
    {
        if (value.IsUndefined() || value.IsNull()) return null;
        if (value.IsBoolean()) return JsonValue.Create(value.AsBoolean());
        if (value.IsNumber())
        {
            var number = value.AsNumber();
            return double.IsFinite(number) ? JsonNode.Parse(TypeConverter.ToString(number)) : null;
        }
        string text;
        if (value.IsString())
        {
            var content = value.AsString();
            CheckResultSize(content.Length * 3L, () => System.Text.Encoding.UTF8.GetByteCount(content));
            return JsonValue.Create(content);
        }
        var json = guards.Stringify(value, JsValue.Undefined, JsValue.Undefined);
        if (json.IsUndefined()) return null;
        if (!json.IsString()) throw new ScriptException("The script's result cannot be converted to JSON.");
        text = json.AsString();
        CheckResultSize(text.Length * 3L, () => System.Text.Encoding.UTF8.GetByteCount(text));
        return JsonNode.Parse(text, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = limits.MaxNesting + 1 });
    }

    void CheckResultSize(long atMost, Func<int> exact)
    {
        if (atMost > limits.MaxResultBytes && exact() > limits.MaxResultBytes)
            throw new ScriptException($"The script's result is larger than {limits.MaxResultBytes / 1024} KB.");
    }
}
