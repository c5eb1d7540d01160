using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LeadRouter.Telemetry;

namespace LeadRouter.IntegrationTests.Operations;

/// <summary>Every measurement LeadRouter's meter takes while this is alive, with its tags.</summary>
internal sealed class Measurements : IDisposable
{
    public sealed record Taken(string Instrument, double Value, IReadOnlyDictionary<string, string> Tags);

    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Taken> _taken = new();

    public Measurements()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LeadRouterTelemetry.Name)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable gauges now (they report only when asked).</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public IReadOnlyList<Taken> Of(string instrument) => _taken.Where(t => t.Instrument == instrument).ToList();

    /// <summary>The sum of an instrument's measurements, per value of one tag.</summary>
    public Dictionary<string, double> SumBy(string instrument, string tag) =>
        Of(instrument).GroupBy(t => t.Tags.GetValueOrDefault(tag, "")).ToDictionary(g => g.Key, g => g.Sum(t => t.Value));

    public double Sum(string instrument) => Of(instrument).Sum(t => t.Value);

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copied = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, tagValue) in tags)
            copied[key] = tagValue?.ToString() ?? "";
        _taken.Enqueue(new Taken(instrument.Name, value, copied));
    }
}
