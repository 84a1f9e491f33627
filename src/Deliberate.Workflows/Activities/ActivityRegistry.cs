using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deliberate.Workflows.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Deliberate.Workflows.Activities;

/// <summary>
/// The activity types a host offers, registered one by one (no discovery), and their descriptors
/// read from the attributes on each class.
/// </summary>
public sealed class ActivityRegistry
{
    readonly Dictionary<string, ActivityDescriptor> byType = new(StringComparer.Ordinal);
    readonly Dictionary<Type, ObjectFactory> factories = [];
    readonly Dictionary<string, ActivityCategory> categories = new(StringComparer.Ordinal);

    public ActivityRegistry()
    {
        AddCategory("Flow", "流程控制", "Flow");
        AddCategory("Primitives", "基础", "Primitives");
        AddCategory("Time", "定时", "Time");
        AddCategory("Human", "人工任务", "Human tasks");
    }

    /// <summary>The registry with the runtime's own activities.</summary>
    public static ActivityRegistry WithBuiltIns() => new ActivityRegistry()
        .Add<Start>().Add<End>()
        .Add<Decision>().Add<Switch>().Add<Fork>().Add<Join>()
        .Add<SetVariable>().Add<WaitForEvent>().Add<Delay>().Add<Timer>()
        .Add<HumanTask>();

    public IReadOnlyCollection<ActivityDescriptor> Descriptors => byType.Values;

    public ActivityRegistry AddCategory(string name, string nameZh, string nameEn)
    {
        categories[name] = new ActivityCategory(name, new LocalizedText(nameZh, nameEn));
        return this;
    }

    public ActivityRegistry Add<T>() where T : Activity
    {
        var descriptor = Describe(typeof(T));
        byType[descriptor.Type] = descriptor;
        factories[typeof(T)] = ActivatorUtilities.CreateFactory(typeof(T), Type.EmptyTypes);
        return this;
    }

    public ActivityDescriptor? Find(string type) => byType.GetValueOrDefault(type);

    /// <summary>Makes the activity with the services its constructor declares (from the run's scope) and sets its inputs from the
    /// definition.</summary>
    internal Activity Create(ActivityDescriptor descriptor, IReadOnlyDictionary<string, object?> inputs, IServiceProvider services)
    {
        var activity = (Activity)factories[descriptor.ClrType](services, null);
        foreach (var input in descriptor.Inputs)
            if (inputs.TryGetValue(input.Name, out var value))
                input.Property.SetValue(activity, value);
        return activity;
    }

    /// <summary>Reads one node's input values into the CLR types of the activity's properties.</summary>
    internal static Dictionary<string, object?> BindInputs(ActivityDescriptor descriptor, JsonObject inputs)
    {
        var values = new Dictionary<string, object?>();
        foreach (var input in descriptor.Inputs)
        {
            var node = inputs[input.Name];
            if (node is null) continue;
            try
            {
                values[input.Name] = node.Deserialize(input.Property.PropertyType, WorkflowJson.Options);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                throw new InputBindingException(input, e.Message);
            }
        }
        return values;
    }

    ActivityDescriptor Describe(Type type)
    {
        var info = type.GetCustomAttribute<ActivityAttribute>()
            ?? throw new InvalidOperationException($"{type.Name} has no [Activity] attribute.");
        if (!categories.TryGetValue(info.Category, out var category))
            throw new InvalidOperationException($"{type.Name} is in category {info.Category}, which is not registered.");

        var defaults = DefaultsInstance(type);

        var inputs = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<InputAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => new InputDescriptor(
                Name: JsonNamingPolicy.CamelCase.ConvertName(x.Property.Name),
                Type: JsonTypeOf(x.Property.PropertyType),
                UiHint: x.Attribute!.UiHint,
                DisplayName: new LocalizedText(x.Attribute.NameZh, x.Attribute.NameEn),
                Description: x.Attribute.DescriptionZh is null ? null
                    : new LocalizedText(x.Attribute.DescriptionZh, x.Attribute.DescriptionEn ?? x.Attribute.DescriptionZh),
                Required: x.Attribute.Required,
                Options: x.Attribute.Options,
                DefaultValue: defaults is null ? null : DefaultOf(x.Property, defaults))
            { Property = x.Property })
            .ToList();

        var outcomes = type.GetCustomAttributes<OutcomeAttribute>()
            .Select(o => new OutcomeDescriptor(o.Name, new LocalizedText(o.NameZh, o.NameEn)))
            .ToList();
        var fromInput = type.GetCustomAttribute<OutcomesFromInputAttribute>()?.InputName;
        var waits = type.GetMethod(nameof(Activity.ResumeAsync))!.DeclaringType != typeof(Activity);

        return new ActivityDescriptor(
            info.Type, category,
            new LocalizedText(info.NameZh, info.NameEn),
            info.DescriptionZh is null ? null : new LocalizedText(info.DescriptionZh, info.DescriptionEn ?? info.DescriptionZh),
            inputs, outcomes, fromInput, waits)
        { ClrType = type };
    }

    /// <summary>
    /// An instance to read the inputs' defaults from (their property initialisers): made with no services, since an
    /// activity's constructor only takes and keeps them (its services come through DI when it runs, see <see cref="Create"/>).
    /// </summary>
    static object? DefaultsInstance(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        try
        {
            return constructor.Invoke(new object?[constructor.GetParameters().Length]);
        }
        catch (TargetInvocationException)
        {
            return null; // a constructor that uses its services at once: no defaults shown
        }
    }

    static JsonNode? DefaultOf(PropertyInfo property, object instance)
    {
        var value = property.GetValue(instance);
        if (value is null || (value is string s && s.Length == 0)) return null;
        if (value is System.Collections.ICollection { Count: 0 }) return null;
        // A value type's zero (TimeSpan.Zero, 0, false) is what the property holds when no one chose a
        // default; taking it as a default would let a required input such as Delay's duration go missing.
        if (value.GetType().IsValueType && value.Equals(Activator.CreateInstance(value.GetType()))) return null;
        return JsonSerializer.SerializeToNode(value, property.PropertyType, WorkflowJson.Options);
    }

    static string JsonTypeOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        // Durations, times and ids travel as text (ISO 8601 for TimeSpan, see DurationJsonConverter).
        if (type == typeof(string) || type == typeof(TimeSpan) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid))
            return "string";
        if (type == typeof(bool)) return "boolean";
        if (type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal)) return "number";
        if (type.IsEnum) return "string";
        if (type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)) return "array";
        return "object";
    }
}

/// <summary>An input value in the definition that does not fit its property.</summary>
public sealed class InputBindingException(InputDescriptor input, string reason)
    : Exception($"Input '{input.Name}' has a value of the wrong shape: {reason}")
{
    public InputDescriptor Input { get; } = input;
    public string Reason { get; } = reason;
}
