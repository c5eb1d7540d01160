using LeadRouter.Cycle;
using LeadRouter.Storage;

namespace LeadRouter.Digest;

/// <summary>A digest written to the digest folder: its HTML and text files and the URIs a reader finds them at.</summary>
public sealed record WrittenDigest(string ManagerId, string ManagerName, string Path, string TextPath, Uri Uri, Uri TextUri, ManagerDigest Digest);

/// <summary>
/// Builds the managers' digests and writes them under the digest folder, one subfolder per ISO week
/// ({week}/{managerId}.html and .txt). The URIs are under the configured base URL when there is one.
/// </summary>
public sealed class DigestWriter(string folder, Uri? baseUrl)
{
    /// <summary>The stored weekly scores of the weeks before <paramref name="week"/> that the trend shows.</summary>
    public static async Task<IReadOnlyList<TrustScore>> LoadHistoryAsync(
        LeadRouterDatabase database, string week, CancellationToken cancellationToken = default)
    {
        var scores = new TrustScoreStore(database);
        var history = new List<TrustScore>();
        foreach (var earlier in ManagerDigest.TrendWeeksEnding(week).SkipLast(1))
            history.AddRange(await scores.ListWeekAsync(earlier, cancellationToken).ConfigureAwait(false));
        return history;
    }

    public async Task<IReadOnlyList<WrittenDigest>> WriteAsync(IReadOnlyList<ManagerDigest> digests, CancellationToken cancellationToken = default)
    {
        var written = new List<WrittenDigest>(digests.Count);
        if (digests.Count == 0)
            return written;
        var week = digests[0].Week;
        var weekFolder = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, week));
        Directory.CreateDirectory(weekFolder);
        foreach (var digest in digests)
        {
            // Manager ids are 18 letters and digits, safe as file and URL path names.
            var html = System.IO.Path.Combine(weekFolder, $"{digest.ManagerId}.html");
            var text = System.IO.Path.ChangeExtension(html, ".txt");
            await File.WriteAllTextAsync(html, DigestHtml.Render(digest), cancellationToken).ConfigureAwait(false);
            CrashDrill.At(CrashDrill.DigestWritten);
            await File.WriteAllTextAsync(text, DigestText.Render(digest), cancellationToken).ConfigureAwait(false);
            written.Add(new WrittenDigest(digest.ManagerId, digest.ManagerName, html, text,
                UriOf(week, html), UriOf(week, text), digest));
        }
        return written;
    }

    private Uri UriOf(string week, string path) =>
        baseUrl is null ? new Uri(path) : new Uri(baseUrl, $"{week}/{System.IO.Path.GetFileName(path)}");
}
