using LeadRouter.Contracts.V1;

namespace LeadRouter.Tests.Contracts;

public sealed class StableIdTests
{
    private static readonly Guid RunId = Guid.Parse("0b8f3e2c-5d1a-4c9e-8f27-3a6b1d9e4c70");
    private static readonly DateTimeOffset At = new(2026, 11, 23, 6, 2, 0, TimeSpan.Zero);

    [Test]
    public void NameBased_matches_the_RFC_version_5_algorithm()
    {
        // The DNS namespace from RFC 9562 and the well-known v5 id of "www.example.com".
        var dns = Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        Assert.That(StableId.NameBased(dns, "www.example.com"), Is.EqualTo(Guid.Parse("2ed6657d-e927-568b-95e1-2665a8aea6a2")));
    }

    [Test]
    public void For_is_the_v5_id_of_the_joined_key_in_the_LeadRouter_namespace()
    {
        var id = StableId.For("lead-assignment-recommended", RunId.ToString(), "00Q5g00000LdAaaEAF");

        Assert.Multiple(() =>
        {
            // Computed independently (Python's uuid.uuid5) for the README's worked example.
            Assert.That(id, Is.EqualTo(Guid.Parse("f638669e-5aad-525e-a950-256f00d90681")));
            Assert.That(id, Is.EqualTo(StableId.NameBased(StableId.LeadRouterNamespace,
                "lead-assignment-recommended|0b8f3e2c-5d1a-4c9e-8f27-3a6b1d9e4c70|00Q5g00000LdAaaEAF")));
            Assert.That(id.Version, Is.EqualTo(5));
            Assert.That(id.ToString("D")[19], Is.AnyOf('8', '9', 'a', 'b'), "RFC variant");
        });
    }

    [Test]
    public void The_same_fact_gets_the_same_id_and_other_facts_other_ids()
    {
        var assigned = new LeadAssigned(RunId, "00Q5g00000LdAaaEAF", "0055g00000AbCdEAAV", "00G5g00000QuEuEEAV", At);
        var republished = new LeadAssigned(RunId, "00Q5g00000LdAaaEAF", "0055g00000AbCdEAAV", "00G5g00000QuEuEEAV", At.AddSeconds(5));
        var otherLead = assigned with { LeadId = "00Q5g00000LdBbbEAF" };
        var otherRun = assigned with { RunId = Guid.Parse("1c9f4f3d-6e2b-4dae-9f38-4b7c2eaf5d81") };
        var skippedSameLead = new LeadAssignmentSkipped(RunId, "00Q5g00000LdAaaEAF", "0055g00000AbCdEAAV",
            SkipReason.OwnerChanged, "taken", "0055g00000XyZaBAAV", At);

        Assert.Multiple(() =>
        {
            Assert.That(republished.MessageId, Is.EqualTo(assigned.MessageId), "a retried write of the same assignment");
            Assert.That(otherLead.MessageId, Is.Not.EqualTo(assigned.MessageId));
            Assert.That(otherRun.MessageId, Is.Not.EqualTo(assigned.MessageId));
            Assert.That(skippedSameLead.MessageId, Is.Not.EqualTo(assigned.MessageId), "the kind is part of the key");
        });
    }

    [Test]
    public void The_key_parts_cannot_be_confused_by_the_separator()
    {
        var error = Assert.Throws<ArgumentException>(() => StableId.For("lead-assigned", "a|b", "c"));

        Assert.That(error!.Message, Does.Contain("keyParts[0]").And.Contain("'|'"));
    }

    [TestCase("")]
    [TestCase("  ")]
    public void An_empty_key_part_is_refused(string part)
    {
        var error = Assert.Throws<ArgumentException>(() => StableId.For("lead-assigned", RunId.ToString(), part));

        Assert.That(error!.Message, Does.Contain("keyParts[1] is empty"));
    }

    [Test]
    public void A_message_with_an_empty_lead_id_cannot_produce_an_id()
    {
        var message = new LeadAssigned(RunId, "", "0055g00000AbCdEAAV", "00G5g00000QuEuEEAV", At);

        Assert.Throws<ArgumentException>(() => _ = message.MessageId);
    }
}
