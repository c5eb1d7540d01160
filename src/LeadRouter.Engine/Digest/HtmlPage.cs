using System.Globalization;
using System.Net;
using System.Text;

namespace LeadRouter.Digest;

/// <summary>
/// The house style of LeadRouter's HTML pages (the digest, the simulation report): one self-contained
/// page, inline CSS, a centred column at most 680 px wide that wraps down to a phone, no script.
/// </summary>
internal static class HtmlPage
{
    public static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>Series colours, in order (the digest's trust components use the first four).</summary>
    public static readonly string[] Colours = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2", "#edc948", "#9c755f"];

    private const string Style =
        "body{margin:0;padding:0;background:#f4f5f7;color:#222;font:15px/1.4 -apple-system,'Segoe UI',Roboto,Arial,sans-serif}" +
        ".page{width:100%;max-width:680px;margin:0 auto;background:#fff;border-collapse:collapse}" +
        ".page>tbody>tr>td{padding:12px 16px}" +
        "h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:18px 0 6px;border-bottom:2px solid #e3e6ea}" +
        "h3{font-size:16px;margin:14px 0 4px}p{margin:4px 0}ul{margin:4px 0;padding-left:18px}" +
        "table.grid{width:100%;border-collapse:collapse}.grid td,.grid th{padding:4px 6px;border-bottom:1px solid #e3e6ea;" +
        "text-align:left;vertical-align:top;overflow-wrap:anywhere}.grid th{font-size:13px;color:#555}" +
        "td,li{overflow-wrap:anywhere}.muted{color:#666;font-size:13px}.up{color:#1a7f37}.down{color:#b42318}" +
        "code{font-size:13px;background:#f0f1f3;padding:1px 3px;overflow-wrap:anywhere}" +
        "svg{display:block;max-width:100%}.swatch{display:inline-block;width:10px;height:10px;margin-right:4px}";

    /// <summary>The document up to the start of the page column; <paramref name="style"/> adds to the house style.</summary>
    public static StringBuilder Begin(string title, string style = "")
    {
        var html = new StringBuilder(32 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append("</title>")
            .Append("<style>").Append(Style).Append(style).Append("</style></head><body>\n")
            .Append("<table class=\"page\" role=\"presentation\" width=\"100%\"><tbody><tr><td>\n");
        return html;
    }

    /// <summary>Closes the page column and the document.</summary>
    public static string End(StringBuilder html) => html.Append("</td></tr></tbody></table>\n</body></html>\n").ToString();

    /// <summary>A colour key: a swatch before each label.</summary>
    public static string Swatch(string colour) => $"<span class=\"swatch\" style=\"background:{colour}\"></span>";

    public static string E(string text) => WebUtility.HtmlEncode(text);

    public static string F(double value) => value.ToString("0.0", Ci);
}
