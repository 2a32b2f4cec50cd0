using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Handoff.Domain.Settings;

/// <summary>Checks between two settings of one options class, for its <see cref="IValidatableObject.Validate"/>.</summary>
public static class SettingOrder
{
    /// <summary>
    /// A failure when <paramref name="lower"/> exceeds <paramref name="upper"/>, naming both settings; the start-up
    /// validation puts their section before each name.
    /// </summary>
    public static IEnumerable<ValidationResult> AtMost<T>(string lowerName, T lower, string upperName, T upper)
        where T : IComparable<T>
    {
        if (lower.CompareTo(upper) > 0)
        {
            yield return new ValidationResult(
                string.Create(CultureInfo.InvariantCulture, $"{lowerName} ({lower}) must be at most {upperName} ({upper})."), [lowerName, upperName]);
        }
    }
}
