using System.ComponentModel;
using System.Reflection;
using System.Text.RegularExpressions;
using Handoff.Server.Hosting;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Handoff.Server.Tests.Deploy;

/// <summary>The files under deploy/, read from the repository the tests were built from.</summary>
internal static class DeployFiles
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>The folder holding Handoff.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot => Root.Value;

    public static string PathOf(string relative) => Path.Combine(RepositoryRoot, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string ComposeFile => PathOf("deploy/compose/docker-compose.yml");

    public static string Dockerfile => PathOf("deploy/docker/Dockerfile");

    public static string KubernetesFolder => PathOf("deploy/kubernetes");

    /// <summary>Every YAML file of deploy/kubernetes/ that holds Kubernetes objects (kustomization.yaml is kustomize's own).</summary>
    public static IReadOnlyList<string> KubernetesManifestFiles() =>
        Directory.GetFiles(KubernetesFolder)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Every Kubernetes object of deploy/kubernetes/, in file order.</summary>
    public static IReadOnlyList<YamlNode> KubernetesObjects() =>
        KubernetesManifestFiles().SelectMany(YamlNode.LoadAll).ToList();

    public static YamlNode Compose() => Assert.Single(YamlNode.LoadAll(ComposeFile));

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Handoff.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Handoff.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>
/// A node of a parsed YAML document (anchors and merge keys resolved, every scalar a string), with its path for
/// assertion messages. A missing key gives a node that does not <see cref="Exists"/> rather than an exception.
/// </summary>
internal sealed class YamlNode(object? value, string path)
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public string Path { get; } = path;

    public bool Exists => value is not null;

    public bool IsMapping => value is IDictionary<object, object>;

    public bool IsSequence => value is IList<object>;

    public YamlNode this[string key] =>
        new(value is IDictionary<object, object> map && map.TryGetValue(key, out var child) ? child : null, $"{Path}.{key}");

    /// <summary>The scalar, or null when the node is missing or not a scalar.</summary>
    public string? Text => value as string;

    /// <summary>The scalar; fails the test when there is none.</summary>
    public string Scalar => value as string ?? throw new Xunit.Sdk.XunitException($"{Path} should be a scalar, is {Describe()}.");

    public IReadOnlyList<YamlNode> Items => value switch
    {
        IList<object> list => list.Select((item, i) => new YamlNode(item, $"{Path}[{i}]")).ToList(),
        null => [],
        _ => throw new Xunit.Sdk.XunitException($"{Path} should be a list, is {Describe()}."),
    };

    public IReadOnlyList<KeyValuePair<string, YamlNode>> Entries => value switch
    {
        IDictionary<object, object> map => map
            .Select(e => new KeyValuePair<string, YamlNode>((string)e.Key, new YamlNode(e.Value, $"{Path}.{e.Key}")))
            .ToList(),
        null => [],
        _ => throw new Xunit.Sdk.XunitException($"{Path} should be a mapping, is {Describe()}."),
    };

    /// <summary>A mapping of scalars as a dictionary (labels, selectors, ConfigMap data).</summary>
    public IReadOnlyDictionary<string, string> ScalarMap() => Entries.ToDictionary(e => e.Key, e => e.Value.Scalar, StringComparer.Ordinal);

    /// <summary>The documents of a YAML file, merge keys (<c>&lt;&lt;: *anchor</c>) resolved as docker compose does.</summary>
    public static IReadOnlyList<YamlNode> LoadAll(string file)
    {
        using var reader = new StreamReader(file);
        var parser = new MergingParser(new Parser(reader));
        parser.Consume<StreamStart>();
        var documents = new List<YamlNode>();
        for (var i = 0; parser.Accept<DocumentStart>(out _); i++)
        {
            var document = Deserializer.Deserialize(parser);
            if (document is not null)
            {
                documents.Add(new YamlNode(document, $"{System.IO.Path.GetFileName(file)}#{i}"));
            }
        }

        return documents;
    }

    private string Describe() => value switch
    {
        null => "missing",
        IDictionary<object, object> => "a mapping",
        IList<object> => "a list",
        _ => $"'{value}'",
    };
}

/// <summary>A Dockerfile as instructions, continuation lines joined and comments dropped.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments)
{
    public static IReadOnlyList<DockerInstruction> Parse(string file)
    {
        var instructions = new List<DockerInstruction>();
        var pending = "";
        foreach (var raw in File.ReadLines(file))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var whole = (pending + line).Trim();
            pending = "";
            if (whole.Length == 0)
            {
                continue;
            }

            var space = whole.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add(space < 0
                ? new DockerInstruction(whole.ToUpperInvariant(), "")
                : new DockerInstruction(whole[..space].ToUpperInvariant(), whole[(space + 1)..].Trim()));
        }

        return instructions;
    }

    /// <summary>The words of the arguments (quotes kept inside a word), e.g. the sources and destination of a COPY.</summary>
    public IReadOnlyList<string> Words => Regex.Matches(Arguments, "\"[^\"]*\"|\\S+").Select(m => m.Value).ToList();

    /// <summary>The key=value pairs of an ENV (or ARG) instruction, quotes removed.</summary>
    public IReadOnlyDictionary<string, string> Assignments() =>
        Regex.Matches(Arguments, "([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim('"'), StringComparer.Ordinal);
}

/// <summary>
/// Maps a configuration key written as an environment variable (<c>Handoff__Server__Silo__ClusterId</c>) onto the
/// options classes of the host by reflection, the way the configuration binder does (names case-insensitive, arrays
/// indexed by number), so a renamed or removed option makes the deploy files fail their tests.
/// </summary>
internal static class OptionKeys
{
    private static readonly IReadOnlyList<(string[] Prefix, Type Type)> Sections = typeof(HandoffServerOptions).Assembly
        .GetTypes()
        .Select(t => (Type: t, Field: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
        .Where(x => x.Field is { IsLiteral: true } && x.Field.FieldType == typeof(string))
        .Select(x => (((string)x.Field!.GetRawConstantValue()!).Split(':'), x.Type))
        .OrderByDescending(x => x.Item1.Length)
        .ToList();

    /// <summary>Null when the key is a real option and the value (when given) converts to its type; else why not.</summary>
    public static string? Problem(string environmentName, string? value)
    {
        var segments = environmentName.Split("__");
        var section = Sections.FirstOrDefault(s =>
            s.Prefix.Length < segments.Length
            && s.Prefix.Select((p, i) => string.Equals(p, segments[i], StringComparison.OrdinalIgnoreCase)).All(same => same));
        if (section.Type is null)
        {
            return $"{environmentName}: no options class of the host is bound to its section";
        }

        var type = section.Type;
        for (var i = section.Prefix.Length; i < segments.Length; i++)
        {
            var element = ElementType(type);
            if (element is not null)
            {
                if (!int.TryParse(segments[i], out _))
                {
                    return $"{environmentName}: '{segments[i]}' should be an index into {type.Name}";
                }

                type = element;
                continue;
            }

            var property = type.GetProperty(segments[i], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || property.SetMethod is null)
            {
                return $"{environmentName}: {type.Name} has no settable property '{segments[i]}'";
            }

            type = property.PropertyType;
        }

        if (ElementType(type) is not null || (type.IsClass && type != typeof(string)))
        {
            return $"{environmentName}: names a section ({type.Name}), not a value";
        }

        if (value is null || value.Contains("$(", StringComparison.Ordinal) || value.Contains("${", StringComparison.Ordinal))
        {
            return null; // filled in by the platform: only the name can be checked
        }

        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return type.IsEnum && !Enum.GetNames(type).Contains(value, StringComparer.OrdinalIgnoreCase)
                ? $"{environmentName}={value}: not a member of {type.Name}"
                : null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or InvalidCastException)
        {
            return $"{environmentName}={value}: not a {type.Name} ({e.Message})";
        }
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type != typeof(string) && type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            ? type.GetGenericArguments()[0]
            : null;
}
