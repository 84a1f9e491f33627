using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;


namespace Deliberate.Workflows.Scripting;

/// <summary>A limit that a guard reached inside a built-in. Not catchable by the script, like Jint's own limits.</summary>
internal sealed class ScriptLimitException(string message) : Exception(message);

/// <summary>
/// What Jint's limits do not reach: they are checked between statements, and its recursion limit counts script
/// functions only, so one built-in call could allocate a gigabyte (<c>'x'.repeat(n)</c>, <c>new Uint8Array(1e9)</c>),
/// recurse natively until the process died (<c>String(a)</c> of a 20,000-deep array), or run for seconds (the
/// same array through <c>JSON.stringify</c>). Each engine gets its own guards, installed before the script runs:
/// <list type="bullet">
/// <item>globals a workflow expression has no use for and that the guards would otherwise have to cover are
///   removed: binary buffers and typed arrays (one call allocates any size), <c>Atomics</c>, <c>Proxy</c> (a chain of
///   proxies recurses natively on every property read), <c>ShadowRealm</c> (a fresh realm has unguarded built-ins),
///   <c>WeakRef</c>, <c>FinalizationRegistry</c>, and <c>Intl</c> (<c>Intl.ListFormat</c> joins any number of texts
///   natively; numbers' and dates' <c>toLocaleString</c> still work without the global);</item>
/// <item>the built-ins that recurse into nested values (<c>Array.prototype.join</c>, <c>toString</c>,
///   <c>toLocaleString</c>, <c>flat</c>, <c>JSON.stringify</c>, bound functions) count their nesting against
///   <see cref="ScriptLimits.MaxNesting"/>, probe the stack, and check the time;</item>
/// <item>the built-ins that build text (<c>repeat</c>, <c>padStart</c>, <c>padEnd</c>, <c>normalize</c>,
///   <c>replace</c>, <c>replaceAll</c>, <c>concat</c>, <c>String.raw</c>, <c>join</c>, <c>JSON.stringify</c>) refuse,
///   before allocating, a result longer than <see cref="ScriptLimits.MaxStringLength"/>. Arrays are capped by
///   Jint's <c>MaxArraySize</c>.</item>
/// </list>
/// </summary>
internal sealed class ScriptGuards
{
    /// <summary>Globals removed from every script's realm (see above).</summary>
    static readonly string[] Removed =
    [
        "ArrayBuffer", "SharedArrayBuffer", "DataView", "Atomics", "TypedArray",
        "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
        "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
        "Proxy", "ShadowRealm", "WeakRef", "FinalizationRegistry", "Intl",
    ];

    readonly Engine engine;
    readonly ScriptLimits limits;
    readonly long deadline;
    readonly long allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
    readonly JsValue objectToString, flat, bind;
    JsValue? stringify;
    readonly JsValue? repeat, padStart, padEnd, normalize, replace, replaceAll;
    readonly List<ObjectInstance> joining = [];
    readonly Dictionary<JsValue, int> boundDepth = new(ReferenceEqualityComparer.Instance);
    int depth;

    ScriptGuards(Engine engine, ScriptLimits limits, bool install)
    {
        this.engine = engine;
        this.limits = limits;
        deadline = Stopwatch.GetTimestamp() + (long)(limits.Timeout.TotalSeconds * Stopwatch.Frequency);
        objectToString = flat = bind = JsValue.Undefined;
        if (!install) return;
        var json = engine.Global.Get("JSON").AsObject();
        stringify = json.Get("stringify");
        objectToString = engine.Intrinsics.Object.PrototypeObject.Get("toString");

        var global = engine.Global;
        foreach (var name in Removed) global.Delete(name);

        var array = engine.Intrinsics.Array.PrototypeObject;
        Define(array, "join", Join, 1);
        Define(array, "toString", ArrayToString, 0);
        Define(array, "toLocaleString", ToLocaleString, 0);
        flat = array.Get("flat");
        Define(array, "flat", Flat, 0);

        var text = global.Get("String").Get("prototype").AsObject();
        repeat = text.Get("repeat");
        padStart = text.Get("padStart");
        padEnd = text.Get("padEnd");
        normalize = text.Get("normalize");
        replace = text.Get("replace");
        replaceAll = text.Get("replaceAll");
        Define(text, "repeat", Repeat, 1);
        Define(text, "padStart", (t, a) => Pad(padStart, t, a), 2);
        Define(text, "padEnd", (t, a) => Pad(padEnd, t, a), 2);
        Define(text, "normalize", Normalize, 0);
        Define(text, "replace", (t, a) => Replace(replace, t, a, all: false), 2);
        Define(text, "replaceAll", (t, a) => Replace(replaceAll, t, a, all: true), 2);
        Define(text, "concat", Concat, 1);
        Define(global.Get("String").AsObject(), "raw", Raw, 1);

        Define(json, "stringify", (_, a) => Stringify(a.At(0), a.At(1), a.At(2)), 3);

        // Percent-encoding makes up to 9 characters of one (a 3-byte character, %XX each), escape up to 6.
        foreach (var (name, factor) in new[] { ("encodeURI", 9.0), ("encodeURIComponent", 9.0), ("escape", 6.0) })
        {
            var encode = global.Get(name);
            Define(global, name, (_, a) =>
            {
                var text = TypeConverter.ToString(a.At(0));
                CheckLength(text.Length * factor);
                return engine.Call(encode, JsValue.Undefined, [text]);
            }, 1);
        }

        var function = global.Get("Function").Get("prototype").AsObject();
        bind = function.Get("bind");
        Define(function, "bind", Bind, 1);

        // A built-in that calls back (map, sort, Array.from, …) runs no statement of the script's between its calls when
        // the callback is itself a built-in (a bound repeat): Jint's limits would not be checked until the whole call
        // ended, gigabytes later. Each callback now checks them first.
        foreach (var name in CallingBack)
            if (array.Get(name) is ObjectInstance original) Define(array, name, (t, a) => CallWithCheckedCallback(original, t, a, 0), 1);
        var arrayConstructor = global.Get("Array").AsObject();
        var from = arrayConstructor.Get("from");
        Define(arrayConstructor, "from", (t, a) => CallWithCheckedCallback(from, t, a, 1), 1);
    }

    /// <summary>The built-ins of arrays that call a function given as an argument, once per element or pair.</summary>
    static readonly string[] CallingBack =
    [
        "map", "forEach", "filter", "flatMap", "reduce", "reduceRight", "some", "every",
        "find", "findIndex", "findLast", "findLastIndex", "sort", "toSorted",
    ];

    /// <summary>Calls <paramref name="original"/> with the function at <paramref name="index"/> wrapped so that each call checks the limits
    /// first.</summary>
    JsValue CallWithCheckedCallback(JsValue original, JsValue thisObj, JsValue[] arguments, int index)
    {
        if (arguments.Length > index && arguments[index] is ObjectInstance callback && callback.IsCallable())
        {
            arguments = (JsValue[])arguments.Clone();
            arguments[index] = new ClrFunction(engine, "", (callbackThis, callbackArguments) =>
            {
                CheckLimits();
                return engine.Call(callback, callbackThis, callbackArguments);
            }, 0);
        }
        return engine.Call(original, thisObj, arguments);
    }

    /// <summary>Every guard, for a script that may call anything.</summary>
    public static ScriptGuards Install(Engine engine, ScriptLimits limits) => new(engine, limits, install: true);

    /// <summary>Only what converting the result needs, for a plain expression that calls nothing.</summary>
    public static ScriptGuards ForResult(Engine engine, ScriptLimits limits) => new(engine, limits, install: false);

    /// <summary>
    /// Takes the built-in JSON.stringify now. Installing does it; a plain expression (which cannot change JSON) only
    /// needs it when a variable named JSON is about to hide the built-in, and otherwise takes it when its result is an object.
    /// </summary>
    public void CaptureJson() => stringify ??= engine.Global.Get("JSON").Get("stringify");

    /// <summary>
    /// Puts <paramref name="guard"/> in place of a built-in. Every guard first checks Jint's limits (memory, time,
    /// cancellation): a built-in called many times within one statement (mapped over an array) would otherwise never
    /// meet them, and a script given up on would go on allocating.
    /// </summary>
    void Define(ObjectInstance target, string name, Func<JsValue, JsValue[], JsValue> guard, int length) =>
        target.DefineOwnProperty(name, new PropertyDescriptor(new ClrFunction(engine, name, (t, a) =>
            {
                CheckLimits();
                return guard(t, a);
            }, length, PropertyFlag.Configurable),
            writable: true, enumerable: false, configurable: true));

    /// <summary>One level deeper into nested values: within the nesting limit, with stack to spare, in time.</summary>
    void Enter()
    {
        if (depth + 1 > limits.MaxNesting)
            throw new ScriptLimitException($"Script nested values more than {limits.MaxNesting} levels deep in a built-in.");
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new ScriptLimitException("Script ran out of stack in a built-in.");
        CheckTime();
        depth++;
    }

    /// <summary>
    /// Jint's limits (cancellation, statements) and the memory limit, measured as Jint measures it: bytes allocated
    /// on this thread since the guards were installed (Jint's own memory check runs between statements only).
    /// </summary>
    void CheckLimits()
    {
        engine.Constraints.Check();
        if (GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart > limits.MaxMemoryBytes)
            throw new MemoryLimitExceededException($"Script used more than {limits.MaxMemoryBytes / 1024 / 1024} MB.");
        CheckTime();
    }

    void CheckTime()
    {
        if (Stopwatch.GetTimestamp() > deadline)
            throw new ScriptLimitException($"Script ran longer than {limits.Timeout.TotalMilliseconds} ms.");
    }

    void CheckLength(double length)
    {
        if (length > limits.MaxStringLength)
            throw new ScriptLimitException($"Script built a text longer than {limits.MaxStringLength} characters.");
    }

    /// <summary>ToObject, through the Object constructor (the realm that TypeConverter.ToObject wants is not public).</summary>
    ObjectInstance ToObject(JsValue value)
    {
        if (value.IsNullish()) throw new JavaScriptException(engine.Intrinsics.TypeError, "Cannot convert undefined or null to object");
        return value as ObjectInstance ?? engine.Call(engine.Intrinsics.Object, JsValue.Undefined, [value]).AsObject();
    }

    string ThisText(JsValue thisObj)
    {
        if (thisObj.IsNullish()) throw new JavaScriptException(engine.Intrinsics.TypeError, "String.prototype method called on null or undefined");
        return TypeConverter.ToString(thisObj);
    }

    JsValue Join(JsValue thisObj, JsValue[] arguments) => JoinWith(thisObj, arguments.At(0), locale: false);

    JsValue ToLocaleString(JsValue thisObj, JsValue[] arguments) => JoinWith(thisObj, JsValue.Undefined, locale: true);

    /// <summary>Array.prototype.join (and toLocaleString), as the spec says, with the length, nesting and time checked as it goes.</summary>
    JsValue JoinWith(JsValue thisObj, JsValue separatorValue, bool locale)
    {
        var array = ToObject(thisObj);
        var length = TypeConverter.ToLength(array.Get("length"));
        var separator = separatorValue.IsUndefined() ? "," : TypeConverter.ToString(separatorValue);
        if (length == 0) return JsString.Empty;
        CheckLength((length - 1) * (double)separator.Length);
        if (joining.Any(a => ReferenceEquals(a, array))) return JsString.Empty; // a cycle: as browsers do
        Enter();
        joining.Add(array);
        try
        {
            var text = new StringBuilder();
            for (ulong i = 0; i < length; i++)
            {
                if (i > 0) text.Append(separator);
                if ((i & 1023) == 1023) CheckTime();
                var element = array.Get(JsNumber.Create((double)i));
                if (element.IsNullish()) continue;
                if (locale)
                {
                    var method = ToObject(element).Get("toLocaleString");
                    text.Append(TypeConverter.ToString(engine.Call(method, element, [])));
                }
                else text.Append(TypeConverter.ToString(element));
                CheckLength(text.Length);
            }
            return new JsString(text.ToString());
        }
        finally
        {
            joining.RemoveAt(joining.Count - 1);
            depth--;
        }
    }

    JsValue ArrayToString(JsValue thisObj, JsValue[] arguments)
    {
        var array = ToObject(thisObj);
        var join = array.Get("join");
        return join.IsCallable() ? engine.Call(join, array, []) : engine.Call(objectToString, array, []);
    }

    /// <summary>flat(depth) recurses natively: a depth beyond the nesting limit is taken as the limit.</summary>
    JsValue Flat(JsValue thisObj, JsValue[] arguments)
    {
        var requested = arguments.At(0).IsUndefined() ? 1 : TypeConverter.ToIntegerOrInfinity(arguments.At(0));
        return engine.Call(flat, thisObj, [Math.Min(requested, limits.MaxNesting)]);
    }

    JsValue Bind(JsValue thisObj, JsValue[] arguments)
    {
        var level = (boundDepth.TryGetValue(thisObj, out var d) ? d : 0) + 1;
        if (level > limits.MaxNesting)
            throw new ScriptLimitException($"Script bound a function more than {limits.MaxNesting} times over.");
        var bound = engine.Call(bind, thisObj, arguments);
        boundDepth[bound] = level;
        return bound;
    }

    JsValue Repeat(JsValue thisObj, JsValue[] arguments)
    {
        var text = ThisText(thisObj);
        var count = TypeConverter.ToIntegerOrInfinity(arguments.At(0));
        if (text.Length > 0 && count > 0) CheckLength(text.Length * count);
        return engine.Call(repeat!, text, [count]);
    }

    JsValue Pad(JsValue? original, JsValue thisObj, JsValue[] arguments)
    {
        var text = ThisText(thisObj);
        CheckLength(TypeConverter.ToLength(arguments.At(0)));
        return engine.Call(original!, text, arguments);
    }

    JsValue Normalize(JsValue thisObj, JsValue[] arguments)
    {
        var text = ThisText(thisObj);
        // Unicode's bounds on how much normalization can expand a text: 3x for NFC, 4x for NFD, 18x for the K forms.
        var form = arguments.At(0).IsUndefined() ? "NFC" : TypeConverter.ToString(arguments.At(0));
        CheckLength(text.Length * (form switch { "NFC" => 3.0, "NFD" => 4.0, _ => 18.0 }));
        return engine.Call(normalize!, text, [form]);
    }

    /// <summary>
    /// replace and replaceAll with a string or a RegExp: the longest result the replacement could give is refused before
    /// it is built. <c>$`</c> and <c>$'</c> insert up to the whole text per match, <c>$&amp;</c> and <c>$n</c> the match
    /// (all matches together are at most the text, unless a lookaround captures beyond one). A replacement function's
    /// results are counted as it returns them.
    /// </summary>
    JsValue Replace(JsValue? original, JsValue thisObj, JsValue[] arguments, bool all)
    {
        var pattern = arguments.At(0);
        var replacement = arguments.At(1);
        var isRegExp = pattern is JsRegExp;
        if (!pattern.IsNullish() && !isRegExp && pattern.IsObject())
            return engine.Call(original!, thisObj, arguments); // an object with its own Symbol.replace: script code, under the limits
        var text = ThisText(thisObj);
        double matches;
        string? source = null;
        if (isRegExp)
        {
            var global = all || TypeConverter.ToBoolean(pattern.Get("global"));
            matches = global ? text.Length + 1 : 1;
            source = TypeConverter.ToString(pattern.Get("source"));
        }
        else
        {
            var find = TypeConverter.ToString(pattern);
            matches = !all ? 1 : find.Length == 0 ? text.Length + 1 : Occurrences(text, find);
            pattern = find;
        }
        if (replacement.IsCallable())
        {
            var total = (double)text.Length;
            var callback = replacement;
            replacement = new ClrFunction(engine, "replacer", (t, a) =>
            {
                var result = TypeConverter.ToString(engine.Call(callback, t, a));
                CheckLength(total += result.Length);
                return result;
            }, 1);
            return engine.Call(original!, text, [pattern, replacement]);
        }
        var with = TypeConverter.ToString(replacement);
        var whole = Count(with, "$`") + Count(with, "$'");
        var part = Count(with, "$") - whole;
        var lookaround = source is not null
            && (source.Contains("(?=") || source.Contains("(?<=") || source.Contains("(?!") || source.Contains("(?<!"));
        CheckLength(text.Length + matches * with.Length + matches * whole * text.Length + part * text.Length * (lookaround ? matches : 1));
        return engine.Call(original!, text, [pattern, with]);
    }

    static double Occurrences(string text, string find)
    {
        var count = 0;
        for (var at = text.IndexOf(find, StringComparison.Ordinal); at >= 0; at = text.IndexOf(find, at + find.Length,
            StringComparison.Ordinal)) count++;
        return count;
    }

    static int Count(string text, string what) => (int)Occurrences(text, what);

    JsValue Concat(JsValue thisObj, JsValue[] arguments)
    {
        var text = new StringBuilder(ThisText(thisObj));
        foreach (var argument in arguments)
        {
            var part = TypeConverter.ToString(argument);
            CheckLength((double)text.Length + part.Length);
            text.Append(part);
        }
        return new JsString(text.ToString());
    }

    /// <summary>String.raw, as the spec says, with the length checked as it goes.</summary>
    JsValue Raw(JsValue thisObj, JsValue[] arguments)
    {
        var cooked = ToObject(arguments.At(0));
        var raw = ToObject(cooked.Get("raw"));
        var length = TypeConverter.ToLength(raw.Get("length"));
        var text = new StringBuilder();
        for (ulong i = 0; i < length; i++)
        {
            if ((i & 1023) == 1023) CheckTime();
            text.Append(TypeConverter.ToString(raw.Get(JsNumber.Create((double)i))));
            if (i + 1 < length && (int)i + 1 < arguments.Length) text.Append(TypeConverter.ToString(arguments[(int)i + 1]));
            CheckLength(text.Length);
        }
        return new JsString(text.ToString());
    }

    /// <summary>
    /// JSON.stringify through the original, with a replacer of ours called for every value (after the script's own,
    /// if any): it counts the nesting (by the holder's depth), the length of the text so far, and the time.
    /// A replacer given as a list of property names is applied by ours (keys keep the object's own order).
    /// </summary>
    public JsValue Stringify(JsValue value, JsValue userReplacer, JsValue space)
    {
        var depths = new Dictionary<JsValue, int>(ReferenceEqualityComparer.Instance);
        HashSet<string>? allowed = null;
        if (!userReplacer.IsCallable() && userReplacer.IsArray())
        {
            allowed = new HashSet<string>(StringComparer.Ordinal);
            var list = userReplacer.AsArray();
            for (uint i = 0; i < list.Length; i++)
                if (list.Get(i) is { } item && (item.IsString() || item.IsNumber())) allowed.Add(TypeConverter.ToString(item));
        }
        var indent = space.IsNumber() ? Math.Min(10, Math.Max(0, (int)TypeConverter.ToIntegerOrInfinity(space)))
            : space.IsString() ? Math.Min(10, space.AsString().Length) : 0;
        var total = 0d;
        var values = 0;
        var replacer = new ClrFunction(engine, "replacer", (holder, a) =>
        {
            var key = a.At(0);
            var item = a.At(1);
            var level = holder.IsObject() && depths.TryGetValue(holder, out var d) ? d : 0;
            if (allowed is not null && level > 0 && !holder.IsArray() && !allowed.Contains(TypeConverter.ToString(key))) return JsValue.Undefined;
            if (userReplacer.IsCallable()) item = engine.Call(userReplacer, holder, [key, item]);
            if ((++values & 1023) == 0) CheckTime();
            if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw new ScriptLimitException("Script ran out of stack in a built-in.");
            total += TypeConverter.ToString(key).Length + 4 + (indent + 1) * level;
            if (item.IsString()) total += item.AsString().Length;
            else if (item.IsObject() && !item.IsCallable())
            {
                if (level + 1 > limits.MaxNesting)
                    throw new ScriptLimitException($"Script nested values more than {limits.MaxNesting} levels deep in a built-in.");
                depths[item] = level + 1;
            }
            else total += 24;
            CheckLength(total);
            return item;
        }, 2);
        CaptureJson();
        return engine.Call(stringify!, JsValue.Undefined, [value, replacer, space]);
    }
}

internal static class JsValueExtensions
{
    public static bool IsNullish(this JsValue value) => value.IsNull() || value.IsUndefined();
}
