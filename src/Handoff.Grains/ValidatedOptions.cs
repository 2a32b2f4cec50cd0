using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Handoff.Grains;

public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to the configuration section <paramref name="sectionPath"/> and checks it when the
    /// host starts: every [Range] and other validation attribute of its settings (nested settings included) and the
    /// checks between its settings (<see cref="IValidatableObject"/>), each
    /// failure naming the full setting ("Handoff:Ingest:MaxBatchSize must be between 1 and 10000; it is 0."). Every
    /// options class of the host is registered through here, so a bad setting stops the start-up, not a later call.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string sectionPath)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>>(new SettingsValidator<T>(sectionPath)));
        return services.AddOptions<T>().Bind(configuration.GetSection(sectionPath)).ValidateOnStart();
    }
}

/// <summary>Checks the validation attributes of an options class and of the settings classes nested in it.</summary>
public sealed class SettingsValidator<T>(string sectionPath) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Collect(options, sectionPath, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Collect(object settings, string path, List<string> failures)
    {
        foreach (var property in settings.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var value = property.GetValue(settings);
            var setting = $"{path}:{property.Name}";
            foreach (var rule in property.GetCustomAttributes<ValidationAttribute>().Where(rule => !rule.IsValid(value)))
            {
                failures.Add(Describe(rule, setting, value));
            }

            if (value is not null && IsNestedSettings(property.PropertyType))
            {
                Collect(value, setting, failures);
            }
        }

        if (settings is IValidatableObject related)
        {
            foreach (var result in related.Validate(new ValidationContext(settings)))
            {
                failures.Add(Qualified(result, path));
            }
        }
    }

    /// <summary>The failure of a check between settings, each setting it names written with its section.</summary>
    private static string Qualified(ValidationResult result, string path)
    {
        var message = result.ErrorMessage ?? "";
        var names = result.MemberNames.ToList();
        return names.Count == 0
            ? $"{path}: {message}"
            : Regex.Replace(message, $@"\b({string.Join('|', names.Select(Regex.Escape))})\b", name => $"{path}:{name.Value}");
    }

    /// <summary>A class of settings of its own (storage, silo, TLS, claims), as opposed to a value, a list or a map.</summary>
    private static bool IsNestedSettings(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("Handoff.", StringComparison.Ordinal) == true;

    private static string Describe(ValidationAttribute rule, string setting, object? value) => rule switch
    {
        RangeAttribute range => string.Create(CultureInfo.InvariantCulture,
            $"{setting} must be between {Show(range.Minimum)} and {Show(range.Maximum)}; it is {Show(value)}."),
        EnumDataTypeAttribute known => string.Create(CultureInfo.InvariantCulture,
            $"{setting} must be one of {string.Join(", ", Enum.GetNames(known.EnumType))}; it is {value}."),
        _ => rule.FormatErrorMessage(setting),
    };

    /// <summary>A value as it is written in configuration: a time span as d.hh:mm:ss, its fraction without trailing zeros.</summary>
    private static string? Show(object? value) => value switch
    {
        TimeSpan span when span.Ticks % TimeSpan.TicksPerSecond != 0 => span.ToString("c", CultureInfo.InvariantCulture).TrimEnd('0'),
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString(),
    };
}
