namespace LeadRouter.SalesforceEmulator.Generation;

// The lead pool: mostly open leads waiting in queues, plus leads people already own, converted
// leads and closed ones. Countries include ones no territory covers, a spelled-out variant and blanks.
internal sealed partial class OrgGeneration
{
    private static readonly (string? Value, double Share)[] LeadCountries =
    [
        ("US", 0.44), ("GB", 0.16), ("DE", 0.12), ("FR", 0.10), ("CA", 0.04), ("JP", 0.02), ("United States", 0.03),
        ("Atlantis", 0.01), (null, 0.08),
    ];

    private static readonly (string? Value, double Share)[] Ratings = [("Hot", 0.15), ("Warm", 0.35), ("Cold", 0.30), (null, 0.20)];

    private static readonly (string? Value, double Share)[] LeadSources =
    [
        ("Web", 0.40), ("Phone Inquiry", 0.10), ("Partner Referral", 0.15), ("Trade Show", 0.12), ("Purchased List", 0.13),
        ("Other", 0.05), (null, 0.05),
    ];

    /// <summary>Share of leads in each disposition: queued and open, owned by a user, converted; the rest are closed.</summary>
    private const double QueuedShare = 0.80, OwnedShare = 0.08, ConvertedShare = 0.06;

    private void AddLeads()
    {
        var total = (int)(_size.Reps * _size.QueuedLeadsPerRep / QueuedShare);
        for (var i = 0; i < total; i++)
        {
            var first = _random.Next(SampleData.FirstNames.Length);
            var last = _random.Next(SampleData.LastNames.Length);
            var stem = _random.Next(SampleData.CompanyStems.Length);
            var kind = _random.Next(SampleData.CompanyKinds.Length);
            var company = string.Concat(SampleData.CompanyStems[stem], " ", SampleData.CompanyKinds[kind], " ", Pick(SampleData.CompanySuffixes));
            var email = string.Concat(LowerFirstNames[first], ".", LowerLastNames[last], "@", LowerCompanyStems[stem], LowerCompanyKinds[kind], ".example");

            var country = PickWeighted(LeadCountries);
            var state = country switch
            {
                "US" or "United States" => Pick(SampleData.UsStates),
                "CA" => Pick(SampleData.CanadianProvinces),
                _ => null,
            };
            var rating = PickWeighted(Ratings);
            var source = PickWeighted(LeadSources);
            var industry = Chance(0.05) ? null : Pick(SampleData.Industries);
            int? employees = Chance(0.10) ? null : (int)Math.Exp(Math.Log(5) + _random.NextDouble() * Math.Log(50_000 / 5.0));
            decimal? revenue = employees is { } e && Chance(0.85) ? e * Between(80, 250) * 1_000m : null;
            var segment = employees switch
            {
                null => null,
                >= 1_000 => "Enterprise",
                >= 100 => "Mid-Market",
                _ => "SMB",
            };

            var roll = _random.NextDouble();
            string ownerId, status;
            var isConverted = false;
            DateTimeOffset created, modified;
            var isDeleted = false;
            if (roll < QueuedShare + OwnedShare)
            {
                // Open leads arrive every day, more of them lately: the pool skews young.
                var age = (int)(7 * WindowWeeks * Math.Pow(_random.NextDouble(), 2));
                created = modified = WorkingMoment(_today.AddDays(-1 - age));
                if (roll < QueuedShare)
                {
                    (ownerId, status) = (QueueFor(source, rating), "Open - Not Contacted");
                    isDeleted = Chance(0.005);
                }
                else
                {
                    (ownerId, status) = (_reps[_random.Next(_reps.Count)].Id, "Working - Contacted");
                }
            }
            else
            {
                created = WorkingMoment(_today.AddDays(-Between(14, 7 * WindowWeeks)));
                var closedDay = DateOnly.FromDateTime(created.UtcDateTime).AddDays(Between(1, 13));
                modified = WorkingMoment(closedDay);
                var rep = _reps[_random.Next(_reps.Count)];
                if (roll < QueuedShare + OwnedShare + ConvertedShare)
                {
                    (ownerId, status, isConverted) = (rep.Id, "Closed - Converted", true);
                }
                else
                {
                    (ownerId, status) = (Chance(0.5) ? QueueFor(source, rating) : rep.Id, "Closed - Not Converted");
                }
            }

            AddLead(
                ownerId, SampleData.FirstNames[first], SampleData.LastNames[last], company, email, status, isConverted, rating, source,
                industry, revenue, employees, country, state, segment, created, modified, isDeleted);
        }
    }

    /// <summary>Partner and trade-show leads have their own queues; cold purchased lists go to nurture; the rest are inbound.</summary>
    private string QueueFor(string? source, string? rating) => source switch
    {
        "Partner Referral" => _partnerQueueId,
        "Trade Show" => _eventQueueId,
        "Purchased List" when rating is "Cold" or null => _nurtureQueueId,
        _ => _inboundQueueId,
    };

    private T PickWeighted<T>((T Value, double Share)[] items)
    {
        var roll = _random.NextDouble();
        foreach (var (value, share) in items)
        {
            roll -= share;
            if (roll < 0)
                return value;
        }
        return items[^1].Value;
    }
}
