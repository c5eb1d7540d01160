using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LeadRouter.IntegrationTests.Emulator;

/// <summary>If-Unmodified-Since on sObject Rows and in /composite subrequests: a record changed after the date is refused with 412 and left alone.</summary>
public sealed class ConditionalWriteTests
{
    [Test]
    public async Task Patch_with_a_date_before_the_last_change_is_refused_with_412_and_changes_nothing()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(2));
        var id = TestOrg.LeadId(1);
        emulator.Host.Store.Update("Lead", id, new Dictionary<string, object?> { ["Status"] = "Working - Contacted" });
        var changed = LastModified(emulator, id);
        // Read a second before that change: the change came after it.
        var read = changed.AddSeconds(-1);

        var stale = await PatchAsync(emulator, id, new { Rating = "Hot" }, HttpDate(read));
        var fresh = await PatchAsync(emulator, id, new { Rating = "Warm" }, HttpDate(changed));
        var garbled = await PatchAsync(emulator, id, new { Rating = "Cold" }, "yesterday");

        Assert.Multiple(() =>
        {
            Assert.That(stale.StatusCode, Is.EqualTo(412));
            Assert.That(stale.ErrorCode, Is.EqualTo("PRECONDITION_FAILED"));
            Assert.That(fresh.StatusCode, Is.EqualTo(204));
            Assert.That(garbled.StatusCode, Is.EqualTo(400));
            Assert.That(emulator.Host.Store.Get("Lead", id)!["Rating"], Is.EqualTo("Warm"));
            Assert.That(emulator.Host.Writes.Select(w => w.Fields["Rating"]), Is.EqualTo(new[] { "Warm" }));
        });
    }

    [Test]
    public async Task Composite_subrequests_each_honour_their_own_If_Unmodified_Since()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(3));
        var (taken, untouched) = (TestOrg.LeadId(1), TestOrg.LeadId(2));
        emulator.Host.Store.Update("Lead", untouched, new Dictionary<string, object?> { ["Status"] = "Working - Contacted" });
        var readUntouched = LastModified(emulator, untouched);
        emulator.Host.Store.Update("Lead", taken, new Dictionary<string, object?> { ["Status"] = "Working - Contacted" });
        // A person changed this one a second after it was read.
        var readTaken = LastModified(emulator, taken).AddSeconds(-1);

        var reply = await emulator.SendJsonAsync(HttpMethod.Post, "composite", new
        {
            allOrNone = false,
            compositeRequest = new object[]
            {
                Subrequest("a", taken, readTaken),
                Subrequest("b", untouched, readUntouched),
            },
        });

        var answers = reply.Body.GetProperty("compositeResponse").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(reply.StatusCode, Is.EqualTo(200));
            Assert.That(answers.Select(a => (a.GetProperty("referenceId").GetString(), a.GetProperty("httpStatusCode").GetInt32())),
                Is.EqualTo(new[] { ("a", 412), ("b", 204) }));
            Assert.That(answers[0].GetProperty("body")[0].GetProperty("errorCode").GetString(), Is.EqualTo("PRECONDITION_FAILED"));
            Assert.That(emulator.Host.Store.Get("Lead", taken)!.GetValueOrDefault("Rating"), Is.Null, "the changed lead is left alone");
            Assert.That(emulator.Host.Writes.Select(w => w.Id), Is.EqualTo(new[] { untouched }));
        });
    }

    private static object Subrequest(string referenceId, string id, DateTimeOffset read) => new
    {
        method = "PATCH",
        url = $"/services/data/{EmulatorClient.Version}/sobjects/Lead/{id}",
        referenceId,
        body = new { Rating = "Hot" },
        httpHeaders = new Dictionary<string, string> { ["If-Unmodified-Since"] = HttpDate(read) },
    };

    private static async Task<Reply> PatchAsync(EmulatorClient emulator, string id, object body, string ifUnmodifiedSince)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/services/data/{EmulatorClient.Version}/sobjects/Lead/{id}")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Unmodified-Since", ifUnmodifiedSince);
        using var response = await emulator.Http.SendAsync(request);
        return await Reply.ReadAsync(response);
    }

    private static DateTimeOffset LastModified(EmulatorClient emulator, string id) =>
        (DateTimeOffset)emulator.Host.Store.Get("Lead", id)!["LastModifiedDate"]!;

    private static string HttpDate(DateTimeOffset value) => value.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
}
