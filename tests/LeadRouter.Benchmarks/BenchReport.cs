using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LeadRouter.Benchmarks;

/// <summary>
/// Turns the files scripts/bench.sh leaves in its output folder (per store and stage: /usr/bin/time -v's
/// report, the load average at the start, the command's output) into one Markdown table, printed, and the
/// same figures as results.json beside them. Targets are issue 9's (simulate's is issue 11's).
/// <code>dotnet LeadRouter.Benchmarks.dll bench-report .leadrouter/bench</code>
/// </summary>
internal static class BenchReport
{
    private static readonly string[] Stages = ["migrate", "sync", "score", "route-dry-run", "simulate", "cycle", "next-week-cycle", "first-cycle"];

    public static int Run(string[] args)
    {
        if (args.Length != 1 || !Directory.Exists(args[0]))
        {
            Console.Error.WriteLine("bench-report: give the folder scripts/bench.sh wrote its measurements to.");
            return 2;
        }
        var folder = args[0];
        var jsforce = Measure(folder, "jsforce", "pull");
        var jsforceRows = jsforce is null ? 0 : ReadJson(folder, "jsforce", "pull")?["rows"]?.GetValue<long>() ?? 0;
        var jsforceCpuPerRow = jsforceRows > 0 ? jsforce!.CpuSeconds / jsforceRows : (double?)null;

        var rows = new List<JsonObject>();
        foreach (var store in new[] { "sqlite", "postgres" })
        {
            foreach (var stage in Stages)
            {
                if (Measure(folder, store, stage) is not { } m)
                    continue;
                var row = m.ToJson(store, stage);
                switch (stage)
                {
                    case "sync":
                        var synced = ReadJson(folder, store, stage)?["rowsRead"]?.GetValue<long>() ?? 0;
                        var databaseBytes = long.Parse(File.ReadAllText(Path.Combine(folder, $"{store}.dbsize")).Trim(), CultureInfo.InvariantCulture);
                        row["rows"] = synced;
                        row["databaseMB"] = Math.Round(databaseBytes / 1e6, 1);
                        row["cpuMicrosPerRow"] = synced > 0 ? Math.Round(m.CpuSeconds / synced * 1e6, 2) : null;
                        // PostgreSQL's writes are its server's, not this process's: only SQLite's count here.
                        var targets = new List<string>();
                        var met = true;
                        if (store == "sqlite")
                        {
                            targets.Add($"written ≤ 2 × DB ({2 * databaseBytes / 1e6:F0} MB)");
                            met = m.WrittenBytes <= 2 * databaseBytes;
                        }
                        if (jsforceCpuPerRow is { } reference && synced > 0)
                        {
                            targets.Add($"CPU/row ≤ ½ jsforce ({reference / 2 * 1e6:F1} µs)");
                            met &= m.CpuSeconds / synced <= reference / 2;
                        }
                        row["target"] = string.Join("; ", targets);
                        row["met"] = targets.Count > 0 ? met : null;
                        break;
                    case "score" or "route-dry-run":
                        Target(row, "wall < 2 s", m.WallSeconds < 2);
                        break;
                    case "simulate":
                        // Issue 11: replaying 4 weeks of the large org.
                        Target(row, "wall < 10 s", m.WallSeconds < 10);
                        break;
                    case "first-cycle":
                        Target(row, "wall < 30 s, RSS < 1 GB", m.WallSeconds < 30 && m.PeakRssBytes < 1e9);
                        break;
                    case "cycle" or "next-week-cycle":
                        Target(row, "wall < 5 s, RSS < 500 MB", m.WallSeconds < 5 && m.PeakRssBytes < 500e6);
                        break;
                }
                rows.Add(row);
            }
        }
        if (jsforce is not null)
        {
            var row = jsforce.ToJson("jsforce", "pull (no storing)");
            row["rows"] = jsforceRows;
            row["cpuMicrosPerRow"] = jsforceCpuPerRow is { } perRow ? Math.Round(perRow * 1e6, 2) : null;
            row["target"] = "reference for the sync's CPU/row";
            rows.Add(row);
        }

        if (Measure(folder, "rabbitmq", "publish") is { } publish && ReadJson(folder, "rabbitmq", "publish") is { } published)
        {
            var row = publish.ToJson("rabbitmq", "publish (relay vs raw)");
            var ratio = published["ratio"]!.GetValue<double>();
            row["rows"] = published["messages"]!.GetValue<long>();
            row["relayMessagesPerSecond"] = published["relayMessagesPerSecond"]!.GetValue<double>();
            row["rawMessagesPerSecond"] = published["rawMessagesPerSecond"]!.GetValue<double>();
            Target(row, string.Create(CultureInfo.InvariantCulture,
                $"relay ≥ 0.7 × raw (relay {row["relayMessagesPerSecond"]}/s, raw {row["rawMessagesPerSecond"]}/s: {ratio:0.00} ×)"), ratio >= 0.7);
            rows.Add(row);
        }

        var table = new StringBuilder();
        table.AppendLine("| store | stage | wall s | CPU s (user+sys) | peak RSS MB | written MB | rows | CPU µs/row | load avg | target | met |");
        table.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in rows)
        {
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {r["store"]} | {r["stage"]} | {r["wallSeconds"]} | {r["userSeconds"]} + {r["systemSeconds"]} | {r["peakRssMB"]} | {r["writtenMB"]} | {r["rows"]} | {r["cpuMicrosPerRow"]} | {r["loadAverage"]} | {r["target"]} | {Met(r["met"])} |");
        }
        Console.Write(table.ToString());
        var results = new JsonObject
        {
            ["machine"] = $"{Environment.ProcessorCount} cores",
            ["stages"] = new JsonArray([.. rows]),
        };
        File.WriteAllText(Path.Combine(folder, "results.json"), results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(Path.Combine(folder, "results.md"), table.ToString());
        return 0;
    }

    private static string Met(JsonNode? met) => met is null ? "" : met.GetValue<bool>() ? "yes" : "**no**";

    private static void Target(JsonObject row, string target, bool met)
    {
        row["target"] = target;
        row["met"] = met;
    }

    private static JsonNode? ReadJson(string folder, string store, string stage)
    {
        var path = Path.Combine(folder, $"{store}.{stage}.out");
        if (!File.Exists(path))
            return null;
        // The document runs from the first line that opens an object to the end (progress lines may come first).
        var lines = File.ReadAllLines(path);
        var start = Array.FindIndex(lines, line => line.StartsWith('{'));
        return start < 0 ? null : JsonNode.Parse(string.Join('\n', lines[start..]));
    }

    private static Measurement? Measure(string folder, string store, string stage)
    {
        var path = Path.Combine(folder, $"{store}.{stage}.time");
        if (!File.Exists(path))
            return null;
        var fields = File.ReadLines(path)
            .Select(line => line.Split(": ", 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.Ordinal);
        var load = File.ReadAllText(Path.Combine(folder, $"{store}.{stage}.load")).Trim();
        return new Measurement(
            Seconds(fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"]),
            double.Parse(fields["User time (seconds)"], CultureInfo.InvariantCulture),
            double.Parse(fields["System time (seconds)"], CultureInfo.InvariantCulture),
            long.Parse(fields["Maximum resident set size (kbytes)"], CultureInfo.InvariantCulture) * 1024,
            // File system outputs are 512-byte blocks.
            long.Parse(fields["File system outputs"], CultureInfo.InvariantCulture) * 512,
            double.Parse(load, CultureInfo.InvariantCulture));
    }

    /// <summary>"m:ss.ss" or "h:mm:ss" to seconds.</summary>
    private static double Seconds(string elapsed) =>
        elapsed.Split(':').Aggregate(0.0, (total, part) => total * 60 + double.Parse(part, CultureInfo.InvariantCulture));

    private sealed record Measurement(
        double WallSeconds, double UserSeconds, double SystemSeconds, long PeakRssBytes, long WrittenBytes, double LoadAverage)
    {
        public double CpuSeconds => UserSeconds + SystemSeconds;

        public JsonObject ToJson(string store, string stage) => new()
        {
            ["store"] = store,
            ["stage"] = stage,
            ["wallSeconds"] = Math.Round(WallSeconds, 2),
            ["userSeconds"] = Math.Round(UserSeconds, 2),
            ["systemSeconds"] = Math.Round(SystemSeconds, 2),
            ["peakRssMB"] = Math.Round(PeakRssBytes / 1e6),
            ["writtenMB"] = Math.Round(WrittenBytes / 1e6, 1),
            ["loadAverage"] = LoadAverage,
        };
    }
}
