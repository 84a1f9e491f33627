using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Workflows.Runtime;
using Deliberate.Workflows.Scripting;
using Xunit.Abstractions;

namespace Deliberate.Tests.Workflows;

/// <summary>
/// A designer's script must never stall or sink the server: each of these faults its instance with an
/// incident within the bound asserted (the bound proves a limit cut the script off; it is not a timing target).
/// </summary>
public partial class ScriptSandboxTests(ITestOutputHelper output)
{
    // Generous on purpose: the sandbox's own wall clock stops a script at 2 s, but on a loaded two-core CI machine the
    // wall clock of a test stretches (a 4 s bound failed there at 4.5 s and 12.8 s). A script that escaped every limit runs
    // forever, so this still catches it; how fast the limits act is the timeout test's and the statement limit's business.
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string> RunawayScripts => new()
    {
        { "endless loop", "(() => { while (true) {} })()" },
        { "deep recursion", "(() => { const f = n => f(n + 1) + 1; return f(0); })()" },
        { "string doubling", "(() => { let s = 'x'; while (true) { s = s + s; } })()" },
        { "array growth", "(() => { const a = []; for (;;) { a.push(new Array(1000).fill('居民')); } })()" },
        { "one huge repeat", "'x'.repeat(1 << 29).length > 0" },
        { "huge repeat kept", "(() => { const s = '居'.repeat(1 << 27); return s.length > 0; })()" },
        { "huge fill", "new Array(1e8).fill(0).length > 0" },
        { "a result that expands when stored", "(() => { let o = ['居民']; for (let i = 0; i < 26; i++) o = [o, o]; return o; })()" },
        { "catastrophic regex literal", "/^(a+)+$/.test('a'.repeat(40) + '!')" },
        { "CLR namespace", "System.IO.File.Exists('/etc/passwd')" },
        { "importNamespace", "importNamespace('System.IO').File.Exists('/etc/passwd')" },
        { "CLR type lookup", "typeof System.Type.GetType('System.IO.File') === 'object'" },
    };

    [Theory]
    [MemberData(nameof(RunawayScripts))]
    public Task A_runaway_or_escaping_script_faults_its_instance_with_an_incident_in_bounded_time(string what, string script) =>
        AssertFaultsWithin(what, script, Bound);

    static async Task AssertFaultsWithin(string what, string script, TimeSpan bound)
    {
        var workflow = TestWorkflow.Create(Definitions.Parse($$"""
            [{ "id": "start", "type": "Start" },
             { "id": "check", "type": "Decision", "condition": {{JsonSerializer.Serialize(script)}} },
             { "id": "yes", "type": "SetVariable", "variable": "reached", "value": "true" },
             { "id": "no", "type": "SetVariable", "variable": "reached", "value": "true" }]
            """, "start > check; check:True > yes; check:False > no", """[{ "name": "reached", "type": "boolean", "value": false }]"""));
        // The first engine in a process pays for loading and compiling Jint; keep that out of the measure.
        new ScriptEngine().Evaluate("[1, 2].map(x => JSON.stringify({ x }) + 'a'.repeat(x)).join()", new Dictionary<string, JsonNode?>());

        var stopwatch = Stopwatch.StartNew();
        await workflow.StartAsync();
        stopwatch.Stop();

        Assert.True(workflow.Status == WorkflowStatus.Faulted, $"{what}: {workflow.Describe()}");
        Assert.Equal("check", Assert.Single(workflow.State.Incidents).ActivityId);
        Assert.False((bool)workflow.Variable("reached")!);
        Assert.True(stopwatch.Elapsed < bound, $"{what} took {stopwatch.Elapsed}");
    }

    [Fact]
    public void Nothing_of_the_clr_or_of_a_host_is_visible_to_scripts()
    {
        var engine = new ScriptEngine();

        var seen = engine.Evaluate("""
            [typeof System, typeof importNamespace, typeof clrHelper, typeof require, typeof process, typeof globalThis.System,
             typeof Function('return this')()].join()
            """, new Dictionary<string, JsonNode?>());

        Assert.Equal("undefined,undefined,undefined,undefined,undefined,undefined,undefined", (string?)seen);
    }

    [Fact]
    public void Each_limit_names_itself_in_the_message()
    {
        var engine = new ScriptEngine();
        var globals = new Dictionary<string, JsonNode?> { ["variables"] = new JsonObject() };
        string MessageOf(string code) => Assert.Throws<ScriptException>(() => engine.Evaluate(code, globals)).Message;

        Assert.Contains("statements", MessageOf("while (true) {}"));
        Assert.Contains("recursed", MessageOf("function f() { return f(); } f()"));
        Assert.Contains("MB", MessageOf("let s = 'x'; while (true) { s += s; }"));
        Assert.Contains("regular expression", MessageOf("/^(a+)+$/.test('a'.repeat(40) + '!')"));
        Assert.Contains("text longer than", MessageOf("'x'.repeat(1 << 29)"));
        Assert.Contains("not defined", MessageOf("System.IO.File"));
        Assert.Contains("levels deep", MessageOf("let a = []; for (let i = 0; i < 1000; i++) a = [a]; String(a)"));
        Assert.Contains("text longer than", MessageOf("Array(1e6).join('x'.repeat(1000))"));
        Assert.Contains("256 KB", MessageOf("'x'.repeat(300 * 1024)"));
        Assert.Contains("maximum allowed", MessageOf("Array(1e9).fill(0)"));
        Assert.Contains("Uint8Array is not defined", MessageOf("new Uint8Array(1e9)"));
    }

    [Fact]
    public void A_script_that_takes_longer_than_the_timeout_is_stopped()
    {
        var engine = new ScriptEngine(new ScriptLimits { Timeout = TimeSpan.FromMilliseconds(100), MaxStatements = int.MaxValue });
        engine.Evaluate("1", new Dictionary<string, JsonNode?>());
        var stopwatch = Stopwatch.StartNew();

        var error = Assert.Throws<ScriptException>(() => engine.Evaluate("while (true) {}", new Dictionary<string, JsonNode?>()));

        Assert.Contains("longer than", error.Message);
        Assert.True(stopwatch.Elapsed < Bound, $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public void Ordinary_scripts_still_work_under_the_limits()
    {
        var engine = new ScriptEngine();
        var globals = new Dictionary<string, JsonNode?>
        {
            ["variables"] = new JsonObject { ["votes"] = new JsonArray(3, 5, 1), ["title"] = "加装电梯" },
        };

        Assert.Equal(9, (int)engine.Evaluate("variables.votes.reduce((a, b) => a + b, 0)", globals)!);
        Assert.Equal("加装电梯-加装电梯", (string?)engine.Evaluate("[variables.title, variables.title].join('-')", globals));
        Assert.True(engine.EvaluateCondition("/^加装/.test(variables.title)", globals));
        Assert.Equal(2000, (int)engine.Evaluate("'ab'.repeat(1000).length", globals)!);
        Assert.Equal("""{"a":[1,2]}""", Json.Text(engine.Evaluate("({ a: [1, 2] })", globals)));
        Assert.Null(engine.Evaluate("undefined", globals));
    }

    [Fact]
    public void Variables_named_like_javascript_built_ins_do_not_break_the_limits()
    {
        var engine = new ScriptEngine();
        var globals = new Dictionary<string, JsonNode?>
        {
            ["String"] = "文本", ["JSON"] = 1, ["Number"] = 2, ["RangeError"] = 3,
            ["variables"] = new JsonObject { ["String"] = "文本" },
        };

        Assert.Equal("abab", (string?)engine.Evaluate("'ab'.repeat(2)", globals));
        Assert.Equal("""{"s":"文本"}""", Json.Text(engine.Evaluate("({ s: String })", globals)));
        Assert.Throws<ScriptException>(() => engine.Evaluate("'x'.repeat(1 << 29)", globals));
    }

    /// <summary>
    /// A script gets only the globals it names, and the guards only when it calls something: the same results
    /// as with everything given, whichever way it reaches a global.
    /// </summary>
    [Fact]
    public void A_script_sees_every_global_it_reaches_and_gives_the_same_json_as_json_stringify()
    {
        var engine = new ScriptEngine();
        var globals = new Dictionary<string, JsonNode?>
        {
            ["count"] = 1, ["title"] = "加装电梯", ["done"] = false, ["ratio"] = 0.5,
            ["variables"] = new JsonObject { ["count"] = 1, ["tags"] = new JsonArray("a", "b") },
        };

        Assert.Equal("2", Json.Text(engine.Evaluate("count + 1", globals)));
        Assert.Equal("\"加装电梯!\"", Json.Text(engine.Evaluate("title + '!'", globals)));
        Assert.Equal("true", Json.Text(engine.Evaluate("!done", globals)));
        Assert.Equal("1.5", Json.Text(engine.Evaluate("ratio + count", globals)));
        Assert.Equal(2, engine.Evaluate("count * 2", globals)!.GetValue<int>());
        Assert.Null(engine.Evaluate("count / 0 - count / 0", globals)); // NaN, as JSON.stringify gives it: null
        Assert.Equal("""{"n":1,"tags":["a","b"]}""", Json.Text(engine.Evaluate("({ n: count, tags: variables.tags })", globals)));
        // Reached without being named: through this, globalThis, eval and the Function constructor.
        Assert.Equal("2", Json.Text(engine.Evaluate("this.count + 1", globals)));
        Assert.Equal("2", Json.Text(engine.Evaluate("globalThis['cou' + 'nt'] + 1", globals)));
        Assert.Equal("2", Json.Text(engine.Evaluate("eval('cou' + 'nt') + 1", globals)));
        Assert.Equal("2", Json.Text(engine.Evaluate("(() => {}).constructor('return count')() + 1", globals)));
        // A name the script uses that is no global fails as it would with every global given.
        Assert.Throws<ScriptException>(() => engine.Evaluate("missing + 1", globals));
    }

    [Fact]
    public void A_script_that_calls_nothing_cannot_spoil_the_conversion_of_its_result()
    {
        var engine = new ScriptEngine();
        var globals = new Dictionary<string, JsonNode?> { ["JSON"] = 1, ["Object"] = 2 };

        // Globals named like the converter's built-ins, and a script that replaces them without a call.
        Assert.Equal("""{"j":1,"o":2}""", Json.Text(engine.Evaluate("({ j: JSON, o: Object })", globals)));
        Assert.Equal("""{"a":1}""", Json.Text(engine.Evaluate("JSON = { stringify: x => 5 }; ({ a: 1 })", new Dictionary<string, JsonNode?>())));
        // A result that expands when converted is still cut off by the limits when the script calls nothing.
        Assert.Throws<ScriptException>(() =>
            engine.Evaluate("let o = ['居民']; for (let i = 0; i < 26; i++) o = [o, o]; o", new Dictionary<string, JsonNode?>()));
    }

    [Fact]
    public void A_script_cannot_change_the_variables_it_is_given()
    {
        var engine = new ScriptEngine();
        var variables = new JsonObject { ["n"] = 1 };

        engine.Evaluate("variables.n = 99; n = 5", new Dictionary<string, JsonNode?> { ["variables"] = variables, ["n"] = 1 });

        Assert.Equal(1, (int)variables["n"]!);
    }

    [Fact]
    public void A_syntax_error_is_reported_without_running_anything()
    {
        var engine = new ScriptEngine();

        Assert.NotNull(engine.CheckSyntax("variables.x >"));
        Assert.NotNull(engine.CheckSyntax(new string('1', engine.Limits.MaxCodeLength + 1)));
        Assert.Null(engine.CheckSyntax("variables.x > 1"));
    }
}
