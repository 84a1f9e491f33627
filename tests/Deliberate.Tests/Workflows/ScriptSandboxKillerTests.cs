using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Workflows.Runtime;
using Deliberate.Workflows.Scripting;

namespace Deliberate.Tests.Workflows;

/// <summary>
/// What the attacker of issue 14 sent, and its variants: each overflowed the stack inside a Jint built-in (the process
/// died), allocated past the memory limit in one call, or ran for seconds inside one. Each must fault its instance,
/// with an incident at the activity, while this test process goes on (a stack overflow would end the whole test run).
/// </summary>
public partial class ScriptSandboxTests
{
    public static TheoryData<string, string> KillerScripts => new()
    {
        { "nested array to text", "(() => { let a = []; for (let i = 0; i < 20000; i++) a = [a]; return String(a).length > 0; })()" },
        { "nested array joined", "(() => { let a = []; for (let i = 0; i < 20000; i++) a = [a]; return a.join('-').length > 0; })()" },
        { "nested array in a template", "(() => { let a = []; for (let i = 0; i < 20000; i++) a = [a]; return `${a}`.length > 0; })()" },
        { "nested array added to text", "(() => { let a = [1]; for (let i = 0; i < 20000; i++) a = [a]; return (a + '').length > 0; })()" },
        { "nested array toLocaleString",
        "(() => { let a = [1]; for (let i = 0; i < 20000; i++) a = [a]; return a.toLocaleString().length > 0; })()" },
        { "nested array compared", "(() => { let a = [1]; for (let i = 0; i < 20000; i++) a = [a]; return a == '1'; })()" },
        { "nested array sorted by text", "(() => { let a = [1]; for (let i = 0; i < 20000; i++) a = [a]; return [a, a].sort().length > 0; })()" },
        { "nested array as an error message",
        "(() => { let a = [1]; for (let i = 0; i < 20000; i++) a = [a]; return String(new Error(a)).length > 0; })()" },
        { "nested array as JSON", "(() => { let a = []; for (let i = 0; i < 20000; i++) a = [a]; return JSON.stringify(a).length > 0; })()" },
        { "nested object as JSON", "(() => { let o = {}; for (let i = 0; i < 20000; i++) o = { o }; return JSON.stringify(o).length > 0; })()" },
        { "nested array built by reduce", "Array.from({ length: 100000 }).reduce(a => [a], []).join().length > 0" },
        { "nested objects whose toString recurses",
        "(() => { let o = {}; for (let i = 0; i < 20000; i++) { const inner = o; o = { toString() { return String(inner); } }; } return "
            + "String(o).length > 0; })()" },
        { "getters that recurse",
        "(() => { let o = { x: 1 }; for (let i = 0; i < 20000; i++) { const p = o; o = { get x() { return p.x; } }; } return o.x > 0; })()" },
        { "valueOf loop", "(() => { const o = { valueOf() { return o + 1; } }; return o + 1 > 0; })()" },
        { "toString loop", "(() => { const o = { toString() { return `${o}`; } }; return `${o}`.length > 0; })()" },
        { "Symbol.toPrimitive loop", "(() => { const o = { [Symbol.toPrimitive]() { return String(o); } }; return String(o).length > 0; })()" },
        { "bound function chain",
        "(() => { let f = function () { return 1; }; for (let i = 0; i < 20000; i++) f = f.bind(null); return f() > 0; })()" },
        { "sort with a comparator that never returns",
        "(() => { const a = Array.from({ length: 100 }, (_, i) => i); a.sort(() => { while (true) {} }); return true; })()" },
        { "sort with a comparator that sorts again",
        "(() => { const a = [3, 1, 2]; const f = (x, y) => [...a].sort(f).length; a.sort(f); return true; })()" },
        { "huge Array(n).join", "Array(1e6).join('x'.repeat(1000)).length > 0" },
        { "huge Array(n).fill", "Array(1e9).fill(0).length > 0" },
        { "huge Array.from", "Array.from({ length: 1e9 }).length > 0" },
        { "Uint8Array past the memory limit", "new Uint8Array(1e9).length > 0" },
        { "ArrayBuffer past the memory limit", "new ArrayBuffer(1e9).byteLength > 0" },
        { "Proxy", "new Proxy({}, {}) !== null" },
        { "ShadowRealm", "new ShadowRealm().evaluate('1') > 0" },
        { "Intl.ListFormat of many long texts", "new Intl.ListFormat('en').format(Array(100000).fill('x'.repeat(1000))).length > 0" },
        { "encodeURIComponent past the memory limit", "encodeURIComponent('€'.repeat(1 << 21)).length > 0" },
        { "repeat past the memory limit", "'x'.repeat(1 << 28).length > 0" },
        { "padStart past the memory limit", "'x'.padStart(1e9, 'ab').length > 0" },
        { "padEnd to 32 million characters", "'x'.padEnd(32e6, 'y').length > 0" },
        { "normalize past the memory limit", "'\\u00C5'.repeat(1 << 20).normalize('NFKD').length > 0" },
        { "replaceAll past the memory limit", "'a'.repeat(4096).replaceAll('', 'x'.repeat(4096)).length > 0" },
        { "replace with $' in a global regex", "'a'.repeat(10000).replace(/a/g, \"$'\").length > 0" },
        { "replaceAll with a function returning big texts", "'a'.repeat(10000).replaceAll('a', () => 'x'.repeat(10000)).length > 0" },
        { "concat past the memory limit", "''.concat(...Array(100).fill('x'.repeat(1e6))).length > 0" },
        { "String.raw past the memory limit", "String.raw({ raw: Array(100).fill('x'.repeat(1e6)) }).length > 0" },
        { "JSON.stringify of a wide value", "(() => { const big = 'x'.repeat(1e6); return JSON.stringify(Array(1000).fill(big)).length > 0; })()" },
        { "deep JSON.parse input", "JSON.parse('['.repeat(100000) + ']'.repeat(100000)) !== null" },
        { "catastrophic RegExp built at run time", "new RegExp('^(a+)+$').test('a'.repeat(40) + '!')" },
        { "catastrophic pattern given to match", "('a'.repeat(40) + '!').match('^(a+)+$') !== null" },
        { "catastrophic pattern given to search", "('a'.repeat(40) + '!').search('^(a+)+$') >= 0" },
        { "catastrophic RegExp in split", "('a'.repeat(40) + '!').split(new RegExp('^(a+)+$')).length > 0" },
        { "catastrophic RegExp in replace", "('a'.repeat(40) + '!').replace(new RegExp('^(a+)+$'), 'b').length > 0" },
        { "catastrophic RegExp retried in a loop",
        "(() => { for (let i = 0; i < 10; i++) { try { new RegExp('^(a+)+$').test('a'.repeat(40) + '!'); } catch (e) {} } return true; })()" },
        { "a 32-million-character result", "(() => { const s = 'x'.repeat(1 << 20); return s.padEnd(32e6, s); })()" },
    };

    [Theory]
    [MemberData(nameof(KillerScripts))]
    public Task A_script_that_killed_the_process_faults_its_instance_and_the_process_goes_on(string what, string script) =>
        AssertFaultsWithin(what, script, Bound);

    /// <summary>The same as a SetVariable's value (the activity of the report), and values too large to keep.</summary>
    [Theory]
    [InlineData("(() => { let a = []; for (let i = 0; i < 20000; i++) a = [a]; return String(a); })()")]
    [InlineData("(() => { let a = []; for (let i = 0; i < 20000; i++) a = [a]; return a; })()")]
    [InlineData("(() => { let a = [1]; for (let i = 0; i < 100; i++) a = [a]; return a; })()")]
    [InlineData("'x'.repeat(300 * 1024)")]
    [InlineData("Array.from({ length: 40000 }, (_, i) => 'value ' + i)")]
    public async Task A_set_variable_whose_value_kills_or_is_too_large_faults_at_that_activity(string script)
    {
        var workflow = TestWorkflow.Create(Definitions.Parse($$"""
            [{ "id": "start", "type": "Start" },
             { "id": "killer", "type": "SetVariable", "variable": "x", "value": {{JsonSerializer.Serialize(script)}} },
             { "id": "after", "type": "SetVariable", "variable": "reached", "value": "true" }]
            """, "start > killer; killer > after", """[{ "name": "x" }, { "name": "reached", "type": "boolean", "value": false }]"""));

        await workflow.StartAsync();

        Assert.True(workflow.Status == WorkflowStatus.Faulted, workflow.Describe());
        Assert.Equal("killer", Assert.Single(workflow.State.Incidents).ActivityId);
        Assert.Null(workflow.Variable("x"));
        Assert.False((bool)workflow.Variable("reached")!);
    }

    /// <summary>
    /// Built-ins called many times within one statement: a bound repeat mapped over an array ran no statement of the
    /// script's, so the memory limit was not met until 2.4 GB later (and the thread went on after it was given up on).
    /// Each must stop at the memory limit, having allocated a bounded amount.
    /// </summary>
    [Theory]
    [InlineData("(() => { const r = String.prototype.repeat.bind('x', 4e6); return Array(300).fill(0).map(r).length; })()")]
    [InlineData("Array.from({ length: 300 }, String.prototype.padStart.bind('x', 4e6)).length")]
    [InlineData("Array(300).fill('x').map(Function.prototype.call, String.prototype.repeat.bind('y', 4e6)).length")]
    [InlineData("[ARRAY_OF_REPEATS].length")]
    [InlineData("(() => { const r = String.prototype.repeat.bind('x', 4e6); return Array(300).fill(0).sort((a, b) => r().length - 1).length; })()")]
    public void Built_ins_called_many_times_in_one_statement_stop_at_the_memory_limit(string script)
    {
        script = script.Replace("ARRAY_OF_REPEATS", string.Join(", ", Enumerable.Repeat("'x'.repeat(4e6)", 40)));
        var engine = new ScriptEngine();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var error = Assert.Throws<ScriptException>(() => engine.Evaluate(script, new Dictionary<string, JsonNode?>()));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(error.Message.Contains("MB"), error.Message); // the memory limit, not the time limit's give-up
        Assert.True(allocated < 200L * 1024 * 1024, $"{allocated / 1024 / 1024} MB allocated before the limit held: {error.Message}");
    }

    /// <summary>One statement joining texts natively: 20 terms of an 8 MB text made 160 MB before the next statement's check.</summary>
    [Fact]
    public void A_statement_that_joins_more_than_16_texts_is_refused_before_it_runs_and_16_are_fine()
    {
        var engine = new ScriptEngine();
        var twenty = "(() => { const s = 'x'.repeat(4e6); return (" + string.Join(" + ", Enumerable.Repeat("s", 20)) + ").length; })()";
        var template = "(() => { const s = 'x'.repeat(4e6); return `" + string.Concat(Enumerable.Repeat("${s}", 20)) + "`.length; })()";
        var sixteen = "(() => { const s = 'ab'; let t = ''; t += " + string.Join(" + ", Enumerable.Repeat("s", 16)) + "; return t.length; })()";

        Assert.Contains("more than 16 texts",
            Assert.Throws<ScriptException>(() => engine.Evaluate(twenty, new Dictionary<string, JsonNode?>())).Message);
        Assert.NotNull(engine.CheckSyntax(template));
        Assert.Equal(32, (int)engine.Evaluate(sixteen, new Dictionary<string, JsonNode?>())!);
    }

    /// <summary>Each value is under the 256 KB a variable may hold; the fifth brings the instance past the 1 MB it may keep.</summary>
    [Fact]
    public async Task Variables_that_together_pass_what_an_instance_may_keep_fault_at_the_activity_that_passed_it()
    {
        var activities = new JsonArray(new JsonObject { ["id"] = "start", ["type"] = "Start" });
        for (var i = 1; i <= 6; i++)
            activities.Add(new JsonObject { ["id"] = $"set{i}", ["type"] = "SetVariable", ["variable"] = $"v{i}", ["value"] = "'居'.repeat(70000)" });
        var variables = new JsonArray(Enumerable.Range(1, 6).Select(i => (JsonNode)new JsonObject { ["name"] = $"v{i}" }).ToArray());
        var workflow = TestWorkflow.Create(Definitions.Parse(activities.ToJsonString(),
            "start > set1; set1 > set2; set2 > set3; set3 > set4; set4 > set5; set5 > set6", variables.ToJsonString()));

        await workflow.StartAsync();

        Assert.True(workflow.Status == WorkflowStatus.Faulted, workflow.Describe());
        var incident = Assert.Single(workflow.State.Incidents);
        Assert.Equal("set5", incident.ActivityId);
        Assert.Contains("at most 1024 KB", incident.Message);
        Assert.NotNull(workflow.Variable("v4"));
        Assert.Null(workflow.Variable("v5"));
    }

    /// <summary>These recurse natively where no guard of ours stands; the script thread's stack holds what the limits let them build.</summary>
    [Theory]
    [InlineData("(() => { let o = {}; for (let i = 0; i < 45000; i++) o = { __proto__: o }; return o.missing === undefined; })()")]
    [InlineData("(() => { let it = [1].values(); for (let i = 0; i < 40000; i++) it = it.map(x => x); return it.next().value === 1; })()")]
    [InlineData("(() => { let a = [1]; for (let i = 0; i < 20000; i++) a = [a]; return a.flat(Infinity).length === 1; })()")]
    public void A_script_that_recurses_natively_where_no_guard_stands_ends_without_harm(string script)
    {
        try
        {
            new ScriptEngine().Evaluate(script, new Dictionary<string, JsonNode?>());
        }
        catch (ScriptException)
        {
            // a limit stopped it first: as good
        }
    }

    /// <summary>
    /// A RegExp built at run time gets <see cref="ScriptLimits.RegexTimeout"/> like a literal (it had Jint's fixed 5 s);
    /// the bound is generous, the regex alone would take minutes.
    /// </summary>
    [Fact]
    public void A_regex_built_at_run_time_is_held_to_the_regex_timeout()
    {
        var engine = new ScriptEngine(new ScriptLimits { RegexTimeout = TimeSpan.FromMilliseconds(50) });
        engine.Evaluate("new RegExp('a').test('a')", new Dictionary<string, JsonNode?>());
        var stopwatch = Stopwatch.StartNew();

        var error = Assert.Throws<ScriptException>(() =>
            engine.Evaluate("new RegExp('^(a+)+$').test('a'.repeat(40) + '!')", new Dictionary<string, JsonNode?>()));

        Assert.Contains("regular expression", error.Message);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public void The_guarded_built_ins_give_what_javascript_gives()
    {
        var engine = new ScriptEngine();
        var globals = new Dictionary<string, JsonNode?> { ["variables"] = new JsonObject { ["tags"] = new JsonArray("a", "b") } };
        string? Text(string code) => (string?)engine.Evaluate(code, globals);

        Assert.Equal("a,b", Text("variables.tags.join()"));
        Assert.Equal("a-b", Text("variables.tags.join('-')"));
        Assert.Equal("1,2,3,,4", Text("String([1, [2, [3]], null, 4])"));
        Assert.Equal("1,,3", Text("(() => { const a = [1, 2, 3]; a[1] = a; return String(a); })()")); // a cycle gives ''
        Assert.Equal("[object Object]", Text("Array.prototype.toString.call({})"));
        Assert.Equal("a,b", Text("Array.prototype.join.call({ length: 2, 0: 'a', 1: 'b' })"));
        Assert.Equal("xxx", Text("'x'.repeat(3)"));
        Assert.Equal("  x|x  ", Text("'x'.padStart(3) + '|' + 'x'.padEnd(3)"));
        Assert.Equal("b-b", Text("'a-a'.replaceAll('a', 'b')"));
        Assert.Equal("[a]-a", Text("'a-a'.replace(/a/, '[$&]')"));
        Assert.Equal("A-A", Text("'a-a'.replace(/a/g, m => m.toUpperCase())"));
        Assert.Equal("abc", Text("'a'.concat('b', 'c')"));
        Assert.Equal("a1b", Text("String.raw({ raw: ['a', 'b'] }, 1)"));
        Assert.Equal("1,2,3,4", Text("String([1, [2, [3, [4]]]].flat(Infinity).length === 4 ? [1, [2, [3, [4]]]].flat(Infinity) : 'no')"));
        Assert.Equal("3", Text("String(((a, b) => a + b).bind(null, 1)(2))"));
        Assert.Equal("""{"a":[1,{"b":2}]}""", Text("JSON.stringify({ a: [1, { b: 2 }] })"));
        Assert.Equal("""{"a":1}""", Text("JSON.stringify({ a: 1, b: 2 }, ['a'])"));
        Assert.Equal("""{"a":2}""", Text("JSON.stringify({ a: 1 }, (k, v) => typeof v === 'number' ? v + 1 : v)"));
        Assert.Equal("{\n  \"a\": 1\n}", Text("JSON.stringify({ a: 1 }, null, 2)"));
        Assert.Equal("Å", Text("'A\\u030A'.normalize()"));
        Assert.Equal("a%20b", Text("encodeURIComponent('a b')"));
        Assert.Equal("3.5", Text("(3.5).toLocaleString('zh-CN')"));
        Assert.Equal("""{"when":"x"}""", Json.Text(engine.Evaluate("({ when: { toJSON() { return 'x'; } } })", globals)));
    }

    /// <summary>
    /// The "memory back near where it started": every killer script, eight at a time, then a full collection.
    /// The figures are printed; the bound is generous (the attack took a server from 1.4 GB to 6.2 GB and it stayed there).
    /// </summary>
    [Fact]
    public async Task After_every_killer_script_eight_at_a_time_the_memory_comes_back_near_where_it_started()
    {
        var engine = new ScriptEngine();
        engine.Evaluate("[1].map(x => x).join()", new Dictionary<string, JsonNode?>());
        var before = Memory();
        output.WriteLine($"before: managed {before.Managed >> 20} MB, working set {before.WorkingSet >> 20} MB");

        var scripts = KillerScripts.Select(row => (string)row[1]).ToList();
        var failed = 0;
        foreach (var batch in scripts.Chunk(8))
            await Task.WhenAll(batch.Select(script => Task.Run(() =>
            {
                try { engine.Evaluate(script, new Dictionary<string, JsonNode?>()); }
                catch (ScriptException) { Interlocked.Increment(ref failed); }
            })));

        var after = Memory();
        output.WriteLine($"after {scripts.Count} killer scripts ({failed} stopped), 8 at a time: managed {after.Managed >> 20} MB, working "
            + $"set {after.WorkingSet >> 20} MB");
        output.WriteLine($"script threads retired so far: {ScriptThreads.Retired}, abandoned: {ScriptThreads.Abandoned}");
        Assert.Equal(scripts.Count, failed);
        Assert.True(after.Managed - before.Managed < 300L << 20, $"managed heap grew from {before} to {after}");
        Assert.True(after.WorkingSet - before.WorkingSet < 300L << 20, $"working set grew from {before} to {after}");
    }

    static (long Managed, long WorkingSet) Memory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }

    /// <summary>What an evaluation costs, printed: the steps benchmark depends on scripts being cheap (no timed assertion).</summary>
    [Fact]
    public void The_cost_of_an_evaluation_is_printed()
    {
        var engine = new ScriptEngine();
        var globals = new Dictionary<string, JsonNode?>
        {
            ["count"] = 3, ["title"] = "加装电梯",
            ["variables"] = new JsonObject { ["count"] = 3, ["tags"] = new JsonArray("a", "b") },
        };
        foreach (var code in new[] { "variables.count", "count + 1", "`议题：${title}`", "({ n: count, t: title })", "Math.max(count, 1)",
            "variables.tags.join(',')" })
        {
            for (var i = 0; i < 500; i++) engine.Evaluate(code, globals);
            var rounds = new List<double>();
            for (var round = 0; round < 5; round++)
            {
                var stopwatch = Stopwatch.StartNew();
                for (var i = 0; i < 1000; i++) engine.Evaluate(code, globals);
                rounds.Add(stopwatch.Elapsed.TotalMicroseconds / 1000);
            }
            rounds.Sort();
            output.WriteLine($"{code,-28} median {rounds[2],7:F1} µs per evaluation (best {rounds[0]:F1})");
        }
        Assert.NotNull(engine.Evaluate("Math.max(count, 1)", globals)); // the printed figures are the point
    }
}
