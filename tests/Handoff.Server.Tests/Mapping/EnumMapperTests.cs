using System.Reflection;
using Handoff.Server.Mapping;
using V1 = Handoff.Protos.V1;

namespace Handoff.Server.Tests.Mapping;

/// <summary>
/// Every enum conversion of <see cref="EnumMapper"/> maps every value of its source enum to the value of the same
/// name, and refuses UNSPECIFIED and numbers its source does not define; every proto enum has a conversion.
/// </summary>
public sealed class EnumMapperTests
{
    public static TheoryData<string> Conversions => new(Methods().Select(Describe));

    [Theory]
    [MemberData(nameof(Conversions))]
    public void Every_value_maps_to_the_value_of_the_same_name_and_anything_else_throws(string conversion)
    {
        var method = Methods().Single(m => Describe(m) == conversion);
        var source = method.GetParameters()[0].ParameterType;
        foreach (var value in Enum.GetValues(source))
        {
            var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
            if (number == 0)
            {
                AssertRefused(method, value);
                continue;
            }

            var mapped = method.Invoke(null, [value])!;
            Assert.Equal(number, Convert.ToInt32(mapped, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Normalize(value.ToString()!), Normalize(mapped.ToString()!));
        }

        AssertRefused(method, Enum.ToObject(source, 999));
    }

    [Fact]
    public void Every_proto_enum_has_a_conversion()
    {
        var converted = Methods().SelectMany(m => new[] { m.ReturnType, m.GetParameters()[0].ParameterType }).ToHashSet();
        var protoEnums = typeof(V1.Contact).Assembly.GetTypes().Where(t =>
            t.IsEnum && t.Namespace == typeof(V1.Contact).Namespace && !(t.IsNested && t.Name.EndsWith("OneofCase", StringComparison.Ordinal)));

        Assert.Empty(protoEnums.Where(t => !converted.Contains(t)).Select(t => t.Name));
    }

    private static void AssertRefused(MethodInfo method, object value)
    {
        var e = Assert.Throws<TargetInvocationException>(() => method.Invoke(null, [value]));
        Assert.IsType<ArgumentOutOfRangeException>(e.InnerException);
    }

    private static IEnumerable<MethodInfo> Methods() => typeof(EnumMapper).GetMethods(BindingFlags.Public | BindingFlags.Static);

    private static string Describe(MethodInfo m) => $"{m.GetParameters()[0].ParameterType.FullName} -> {m.ReturnType.FullName}";

    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
