using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace LeadRouter.IntegrationTests.Browser;

/// <summary>What a page looks like once laid out: the viewport, how wide its content is, its sections and its charts.</summary>
internal sealed record PageLayout(int Viewport, int ScrollWidth, IReadOnlyList<string> Sections, int RepSections, IReadOnlyList<ChartBox> Charts)
{
    /// <summary>Every chart has a size and lies inside the viewport, and the page does not scroll sideways.</summary>
    public void AssertFitsTheWidth(string page)
    {
        foreach (var chart in Charts)
        {
            Assert.That(chart.Width, Is.GreaterThan(0), chart.Class);
            Assert.That(chart.Height, Is.GreaterThan(0), chart.Class);
            Assert.That(chart.Left, Is.GreaterThanOrEqualTo(0), chart.Class);
            Assert.That(chart.Right, Is.LessThanOrEqualTo(Viewport), chart.Class);
        }
        Assert.That(ScrollWidth, Is.LessThanOrEqualTo(Viewport), $"{page} scrolls sideways at {Viewport} px");
    }
}

internal sealed record ChartBox(string Class, double Left, double Right, double Width, double Height);

/// <summary>
/// Debian's Chromium, headless with its own profile folder, driven over the DevTools protocol
/// (a WebSocket): the test sets the viewport, opens a file, measures the laid-out page with
/// Runtime.evaluate (the page itself runs no script) and takes a full-page screenshot.
/// Tests are ignored, with the reason, when Chromium is not installed.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Variable = "LEADROUTER_TEST_CHROMIUM";

    /// <summary>Run by the test, not the page: the layout figures as one JSON string.</summary>
    private const string Measure = """
        JSON.stringify({
          viewport: window.innerWidth,
          scrollWidth: document.documentElement.scrollWidth,
          sections: [...document.querySelectorAll('section[id]')].map(s => s.id),
          repSections: document.querySelectorAll('section.rep').length,
          charts: [...document.querySelectorAll('svg.chart')].map(s => {
            const r = s.getBoundingClientRect();
            return { class: s.getAttribute('class'), left: r.left, right: r.right, width: r.width, height: r.height };
          })
        })
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly ClientWebSocket _socket;
    private readonly List<string> _events = [];
    private int _nextId;

    private HeadlessChromium(Process process, DirectoryInfo profile, ClientWebSocket socket)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
    }

    public static async Task<HeadlessChromium> StartOrIgnoreAsync()
    {
        var executable = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured ? configured
            : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null;
        if (executable is null)
            Assert.Ignore($"{Variable} is not set and /usr/bin/chromium is missing: scripts/test.sh installs Debian's chromium (scripts/services/chromium.sh).");

        var profile = Directory.CreateTempSubdirectory("leadrouter-chromium-");
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--mute-audio",
                     $"--user-data-dir={profile.FullName}", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank" })
            start.ArgumentList.Add(argument);
        // Chromium refuses to run as root with its sandbox on.
        if (Environment.IsPrivilegedProcess)
            start.ArgumentList.Insert(0, "--no-sandbox");
        var process = Process.Start(start)!;
        process.StandardError.ReadToEndAsync().ContinueWith(_ => { }, TaskScheduler.Default).GetAwaiter();
        process.StandardOutput.ReadToEndAsync().ContinueWith(_ => { }, TaskScheduler.Default).GetAwaiter();

        // Chromium writes the port it chose to DevToolsActivePort once it listens.
        var portFile = Path.Combine(profile.FullName, "DevToolsActivePort");
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(portFile) || File.ReadAllLines(portFile).Length < 2)
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
                Assert.Fail($"Chromium ({executable}) did not open its DevTools port (exited: {process.HasExited}).");
            await Task.Delay(100);
        }
        var port = File.ReadAllLines(portFile)[0];
        using var http = new HttpClient();
        var targets = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{port}/json/list");
        var page = targets.EnumerateArray().First(t => t.GetProperty("type").GetString() == "page");
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(page.GetProperty("webSocketDebuggerUrl").GetString()!), CancellationToken.None);
        var chromium = new HeadlessChromium(process, profile, socket);
        await chromium.SendAsync("Page.enable");
        return chromium;
    }

    /// <summary>Opens <paramref name="file"/> in a viewport <paramref name="width"/> pixels wide, saves a full-page screenshot, and measures the page.</summary>
    public async Task<PageLayout> OpenAsync(string file, int width, string screenshot)
    {
        await SendAsync("Emulation.setDeviceMetricsOverride", new { width, height = 900, deviceScaleFactor = 1, mobile = width < 600 });
        _events.Clear();
        await SendAsync("Page.navigate", new { url = new Uri(file).AbsoluteUri });
        await WaitForEventAsync("Page.loadEventFired");

        var measured = await SendAsync("Runtime.evaluate", new { expression = Measure, returnByValue = true });
        var layout = JsonSerializer.Deserialize<PageLayout>(measured.GetProperty("result").GetProperty("value").GetString()!, Json)!;

        var metrics = await SendAsync("Page.getLayoutMetrics");
        var content = metrics.GetProperty("cssContentSize");
        var shot = await SendAsync("Page.captureScreenshot", new
        {
            format = "png",
            captureBeyondViewport = true,
            clip = new { x = 0, y = 0, width = content.GetProperty("width").GetDouble(), height = content.GetProperty("height").GetDouble(), scale = 1 },
        });
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await File.WriteAllBytesAsync(screenshot, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
        return layout;
    }

    private async Task<JsonElement> SendAsync(string method, object? parameters = null)
    {
        var id = ++_nextId;
        var request = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } }, Json);
        await _socket.SendAsync(request, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        while (true)
        {
            using var message = await ReceiveAsync();
            var root = message.RootElement;
            if (root.TryGetProperty("method", out var evt))
            {
                _events.Add(evt.GetString()!);
                continue;
            }
            if (root.GetProperty("id").GetInt32() != id)
                continue;
            if (root.TryGetProperty("error", out var error))
                Assert.Fail($"Chromium refused {method}: {error}");
            return root.GetProperty("result").Clone();
        }
    }

    private async Task WaitForEventAsync(string name)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!_events.Contains(name))
        {
            using var message = await ReceiveAsync(timeout.Token);
            if (message.RootElement.TryGetProperty("method", out var evt))
                _events.Add(evt.GetString()!);
        }
    }

    private async Task<JsonDocument> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        var buffer = new byte[64 * 1024];
        using var text = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer, cancellationToken);
            text.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonDocument.Parse(Encoding.UTF8.GetString(text.ToArray()));
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _profile.Delete(recursive: true);
    }
}
