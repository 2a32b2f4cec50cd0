using System.Globalization;
using System.Net;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Observability;

/// <summary>One sample of a Prometheus text exposition: metric name, labels, value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// What Prometheus would read from the host: GET /metrics over HTTP/1.1 on the management listener, parsed from the
/// text format. Waits on conditions with a deadline instead of sleeping (the exporter caches a scrape briefly).
/// </summary>
public sealed class PrometheusScrape
{
    private PrometheusScrape(string text, IReadOnlyList<PrometheusSample> samples)
    {
        Text = text;
        Samples = samples;
    }

    public string Text { get; }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    public static async Task<PrometheusScrape> GetAsync(Uri baseAddress)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, DefaultRequestVersion = HttpVersion.Version11, Timeout = Streams.Patience };
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /metrics answered {(int)response.StatusCode}: {text}");
        return new PrometheusScrape(text, Parse(text));
    }

    /// <summary>Scrapes until <paramref name="condition"/> holds; fails with the last scrape when the deadline passes.</summary>
    public static Task<PrometheusScrape> UntilAsync(Uri baseAddress, Func<PrometheusScrape, bool> condition, string what)
    {
        PrometheusScrape? last = null;
        return Wait.ForAsync(
            async () => condition(last = await GetAsync(baseAddress)) ? last : null,
            () => $"the metrics to show {what}. Last scrape:\n{last?.Text}");
    }

    /// <summary>The value of the one sample of <paramref name="name"/> whose labels include <paramref name="labels"/>; null when absent.</summary>
    public double? Value(string name, params (string Key, string Value)[] labels)
    {
        var matching = Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).ToList();
        Assert.True(matching.Count <= 1, $"{matching.Count} samples of {name} match {string.Join(",", labels)}.");
        return matching.Count == 0 ? null : matching[0].Value;
    }

    /// <summary>
    /// The sum of the samples of <paramref name="name"/> whose labels include <paramref name="labels"/>, for instruments
    /// that every silo of the process reports under the same name (Orleans' meter is process-wide).
    /// </summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    public bool Has(string name) => Samples.Any(s => s.Name == name);

    private static List<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            string name;
            string rest;
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (brace >= 0 && brace < space)
            {
                name = line[..brace];
                var close = line.LastIndexOf('}');
                ParseLabels(line[(brace + 1)..close], labels);
                rest = line[(close + 1)..].Trim();
            }
            else
            {
                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }

            var value = rest.Split(' ')[0];
            samples.Add(new PrometheusSample(name, labels, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(value, CultureInfo.InvariantCulture),
            }));
        }

        return samples;
    }

    private static void ParseLabels(string body, Dictionary<string, string> labels)
    {
        var i = 0;
        while (i < body.Length)
        {
            var equals = body.IndexOf('=', i);
            var key = body[i..equals].Trim().TrimStart(',').Trim();
            var value = new System.Text.StringBuilder();
            var j = equals + 2; // past ="
            for (; j < body.Length && body[j] != '"'; j++)
            {
                if (body[j] == '\\' && j + 1 < body.Length)
                {
                    j++;
                    value.Append(body[j] == 'n' ? '\n' : body[j]);
                }
                else
                {
                    value.Append(body[j]);
                }
            }

            labels[key] = value.ToString();
            i = j + 1;
            while (i < body.Length && (body[i] == ',' || body[i] == ' '))
            {
                i++;
            }
        }
    }
}
