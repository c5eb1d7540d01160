using Dapper;
using LeadRouter.Org;
using LeadRouter.Storage;
using static LeadRouter.Tests.Storage.StoreSamples;

namespace LeadRouter.Tests.Storage;

/// <summary>
/// Every store behaviour, run against each engine: SQLite in the unit tests, PostgreSQL and SQL Server
/// in the integration tests (skipped when their server is not configured). Each test gets a new,
/// migrated database.
/// </summary>
public abstract class StoreContractTests
{
    protected LeadRouterDatabase Database { get; private set; } = null!;

    /// <summary>A new empty database (not migrated); the fixture drops it in <see cref="DropDatabasesAsync"/>.</summary>
    protected abstract Task<LeadRouterDatabase> CreateEmptyDatabaseAsync();

    /// <summary>Drops every database this test created.</summary>
    protected abstract Task DropDatabasesAsync();

    [SetUp]
    public async Task CreateMigratedDatabase()
    {
        Database = await CreateEmptyDatabaseAsync();
        await Database.MigrateAsync();
    }

    [TearDown]
    public Task DropDatabases() => DropDatabasesAsync();

    [Test]
    public async Task MigratingAnEmptyDatabaseCreatesEveryTableWithTheMappedColumns()
    {
        var empty = await CreateEmptyDatabaseAsync();

        var applied = await empty.MigrateAsync();
        var again = await empty.MigrateAsync();

        Assert.That(applied, Is.EqualTo(MigrationScripts(empty.Provider)));
        Assert.That(again, Is.Empty, "a current database needs nothing");
        await using var transaction = await empty.BeginTransactionAsync();
        foreach (var shape in StoreShapes.All)
        {
            await using var reader = await transaction.Connection.ExecuteReaderAsync(
                $"SELECT * FROM {shape.Name} WHERE 1 = 0", transaction: transaction.Transaction);
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            Assert.That(columns, Is.EquivalentTo(shape.Columns), shape.Name);
        }
    }

    [Test]
    public async Task ConcurrentMigrationsApplyEachScriptOnce()
    {
        var empty = await CreateEmptyDatabaseAsync();

        var results = await System.Threading.Tasks.Task.WhenAll(empty.MigrateAsync(), empty.MigrateAsync(), empty.MigrateAsync());

        Assert.That(results.SelectMany(applied => applied).Order(StringComparer.Ordinal), Is.EqualTo(MigrationScripts(empty.Provider)));
    }

    /// <summary>Every migration script of an engine, in the order they apply.</summary>
    private static string[] MigrationScripts(DatabaseProvider provider) =>
        new[] { "0001_initial.sql", "0002_event_customer_and_shared_activity.sql", "0003_store_leases.sql", "0004_recommendation_lookups.sql" }
            .Select(script => LeadRouterDatabase.MigrationPrefix(provider) + script).ToArray();

    [Test]
    public async Task ADatabaseMigratedByANewerVersionIsRefusedWithTheScriptName()
    {
        const string future = "LeadRouter.Storage.Migrations.Future.0002_added_by_a_newer_leadrouter.sql";
        await using (var transaction = await Database.BeginTransactionAsync())
        {
            await transaction.Connection.ExecuteAsync(
                "INSERT INTO schemaversions (scriptname, applied) VALUES (@Name, @Applied)",
                new { Name = future, Applied = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Unspecified) },
                transaction.Transaction);
            await transaction.CommitAsync();
        }

        var error = Assert.ThrowsAsync<StoreSchemaException>(() => Database.MigrateAsync());

        Assert.That(error!.Message, Does.Contain(future).And.Contain("newer"));
    }

    [Test]
    public async Task UpsertingTheSameRowsTwiceStoresThemOnce()
    {
        var rows = Enumerable.Range(1, 3).Select(n => SyncedRow.Of(Task(n, Monday.AddDays(-n)), Monday)).ToList();

        await new RecordStore(Database).UpsertAsync(rows);
        await new RecordStore(Database).UpsertAsync(rows);

        var snapshot = await new RecordStore(Database).LoadSnapshotAsync();
        Assert.That(snapshot.Tasks, Is.EqualTo(rows.Select(r => r.Record)));
    }

    [Test]
    public async Task AnOlderVersionNeverReplacesANewerOne()
    {
        var store = new RecordStore(Database);
        var newer = Opportunity(1) with { StageName = "Closed Won", IsClosed = true };
        var older = Opportunity(1) with { StageName = "Prospecting" };

        await store.UpsertAsync([SyncedRow.Of(newer, Monday.AddHours(2))]);
        await store.UpsertAsync([SyncedRow.Of(older, Monday.AddHours(1))]);
        // Within one batch the newest version of an Id wins, wherever it is.
        await store.UpsertAsync([
            SyncedRow.Of(Opportunity(2) with { StageName = "Newest" }, Monday.AddHours(3)),
            SyncedRow.Of(Opportunity(2) with { StageName = "Stale" }, Monday.AddHours(1)),
        ]);

        var snapshot = await store.LoadSnapshotAsync();
        Assert.That(snapshot.Opportunities.Select(o => o.StageName), Is.EqualTo(new[] { "Closed Won", "Newest" }));
    }

    [Test]
    public async Task ALargeBatchIsLoadedAndReloadedInBulk()
    {
        var store = new RecordStore(Database);
        var rows = Enumerable.Range(1, 5_000).Select(n => SyncedRow.Of(Task(n, Monday.AddMinutes(-n)), Monday)).ToList();
        await store.UpsertAsync(rows);
        // Every other task closes later: a newer version of half the rows.
        var changed = rows.Where((_, i) => i % 2 == 0)
            .Select(r => SyncedRow.Of(r.Record with { Status = "Deferred" }, Monday.AddHours(1)))
            .ToList();

        await store.UpsertAsync([.. changed, .. rows.Where((_, i) => i % 2 == 1)]);

        var tasks = (await store.LoadSnapshotAsync()).Tasks;
        Assert.That(tasks, Has.Count.EqualTo(5_000));
        Assert.That(tasks.Count(t => t.Status == "Deferred"), Is.EqualTo(2_500));
        Assert.That(tasks.First(t => t.Id == TaskId(4_999)), Is.EqualTo(rows[4_998].Record with { Status = "Deferred" }));
    }

    [Test]
    public async Task DeletesAreAppliedAndTheSnapshotHasLiveRowsOnly()
    {
        var store = new RecordStore(Database);
        await store.UpsertAsync(Enumerable.Range(1, 4).Select(n => SyncedRow.Of(Lead(n, Monday), Monday)).ToList());
        await store.UpsertAsync([SyncedRow.Of(Lead(5, Monday), Monday, isDeleted: true)]);
        await store.UpsertAsync([
            SyncedRow.Of(new CalendarEvent(EventId(1), "1:1", "Pipeline Review", Monday, Monday.AddMinutes(30), 30, false, UserId(1), null, IsDeleted: true), Monday),
            SyncedRow.Of(new CalendarEvent(EventId(2), "1:1", "Pipeline Review", Monday, Monday.AddMinutes(30), 30, false, UserId(1), null, IsDeleted: false), Monday),
        ]);

        var marked = await store.MarkDeletedAsync<Lead>([LeadId(2), LeadId(3), LeadId(99)], Monday.AddHours(1));
        // Salesforce's undelete: a newer live version brings lead 3 back.
        await store.UpsertAsync([SyncedRow.Of(Lead(3, Monday), Monday.AddHours(2))]);
        // A delete older than the stored version is ignored.
        var stale = await store.MarkDeletedAsync<Lead>([LeadId(4)], Monday.AddHours(-1));

        var snapshot = await store.LoadSnapshotAsync();
        Assert.That(marked, Is.EqualTo(2));
        Assert.That(stale, Is.Zero);
        Assert.That(snapshot.Leads.Select(l => l.Id), Is.EqualTo(new[] { LeadId(1), LeadId(3), LeadId(4) }));
        Assert.That(snapshot.Events.Select(e => e.Id), Is.EqualTo(new[] { EventId(2) }));
    }

    [Test]
    public async Task EveryRecordTypeRoundTripsExactly()
    {
        var store = new RecordStore(Database);
        // A moment with an offset and sub-millisecond ticks comes back as the same UTC instant to the millisecond.
        var local = new DateTimeOffset(2026, 3, 1, 10, 15, 30, 123, TimeSpan.FromHours(2)).AddTicks(4567);
        var utc = new DateTimeOffset(2026, 3, 1, 8, 15, 30, 123, TimeSpan.Zero);
        var user = Rep(2);
        var manager = new User(UserId(1), "Manager", "manager@example.com", null, true, null, SalesforceId.Create("00E", 1), null, null);
        var queue = new Queue(QueueId(1), "Inbound_EMEA", "Inbound EMEA");
        var calendarEvent = new CalendarEvent(EventId(1), "Weekly 1:1", "Pipeline Review", local, null, null, true, UserId(1), null, false,
            WhoId: ContactId(1), ShowAs: "OutOfOffice");
        var bareEvent = new CalendarEvent(EventId(2), null, null, utc, null, null, false, UserId(1), null, false);
        var relation = new EventRelation(EventId(1), UserId(2), "Accepted", true);
        var contactRelation = new EventRelation(EventId(1), ContactId(1), null, false, IsParent: true);
        var whatRelation = new EventRelation(EventId(1), OpportunityId(1), null, false, IsWhat: true);
        var task = Task(1, local) with { CompletedDateTime = local, ActivityDate = new DateOnly(2026, 12, 31) };
        var openTask = Task(2, local, closed: false) with { WhatId = null, WhoId = null, TaskSubtype = null, Subject = null };
        var opportunity = Opportunity(1, 1_234_567_890_123_456.78m) with { NextStepDate = null };
        var negative = Opportunity(2, -0.01m) with { CloseDate = null, LastActivityDate = null, NextStep = null };
        var noAmount = Opportunity(3, null);
        var role = new OpportunityContactRole(OpportunityId(1), ContactId(1), "Economic Buyer");
        var noRole = new OpportunityContactRole(OpportunityId(1), null, null);
        var history = new OpportunityHistory(OpportunityId(1), new DateOnly(2026, 5, 31), new DateOnly(2026, 4, 30), local);
        var lead = Lead(1, local) with { AnnualRevenue = 0.10m };
        var bare = new Lead(LeadId(2), UserId(2), null, true, null, null, null, null, null, null, null, null, utc);

        await store.UpsertAsync([SyncedRow.Of(manager, local), SyncedRow.Of(user, local)]);
        await store.UpsertAsync([SyncedRow.Of(queue, local)]);
        await store.UpsertAsync([SyncedRow.Of(calendarEvent, local), SyncedRow.Of(bareEvent, local)]);
        await store.UpsertAsync([Row(RelationId(1), relation, local), Row(RelationId(2), contactRelation, local), Row(RelationId(3), whatRelation, local)]);
        await store.UpsertAsync([SyncedRow.Of(task, local), SyncedRow.Of(openTask, local)]);
        await store.UpsertAsync([SyncedRow.Of(opportunity, local), SyncedRow.Of(negative, local), SyncedRow.Of(noAmount, local)]);
        await store.UpsertAsync([Row(ContactRoleId(1), role, local), Row(ContactRoleId(2), noRole, local)]);
        await store.UpsertAsync([Row(HistoryId(1), history, local)]);
        await store.UpsertAsync([SyncedRow.Of(lead, local), SyncedRow.Of(bare, local)]);

        var snapshot = await store.LoadSnapshotAsync();
        Assert.That(snapshot.Users, Is.EqualTo(new[] { manager, user }));
        Assert.That(snapshot.Queues, Is.EqualTo(new[] { queue }));
        Assert.That(snapshot.Events, Is.EqualTo(new[] { calendarEvent with { StartDateTime = utc }, bareEvent }));
        Assert.That(snapshot.Events[0].StartDateTime.Offset, Is.EqualTo(TimeSpan.Zero));
        Assert.That(snapshot.EventRelations, Is.EqualTo(new[] { relation, contactRelation, whatRelation }));
        Assert.That(snapshot.Tasks, Is.EqualTo(new[]
        {
            task with { CompletedDateTime = utc, CreatedDate = utc },
            openTask with { CreatedDate = utc },
        }));
        Assert.That(snapshot.Opportunities, Is.EqualTo(new[] { opportunity, negative, noAmount }));
        Assert.That(snapshot.Opportunities[0].Amount.ToString(), Is.EqualTo("1234567890123456.78"));
        Assert.That(snapshot.ContactRoles, Is.EquivalentTo(new[] { role, noRole }));
        Assert.That(snapshot.OpportunityHistory, Is.EqualTo(new[] { history with { CreatedDate = utc } }));
        Assert.That(snapshot.Leads.Select(l => l with { CustomFields = lead.CustomFields }),
            Is.EqualTo(new[] { lead with { CreatedDate = utc }, bare with { CustomFields = lead.CustomFields } }));
        Assert.That(snapshot.Leads[0].CustomFields, Is.EquivalentTo(lead.CustomFields));
        Assert.That(snapshot.Leads[0].CustomFields["segment__c"], Is.EqualTo("Enterprise"), "custom fields ignore case");
        Assert.That(snapshot.Leads[1].CustomFields, Is.Empty);
    }

    [Test]
    public async Task ABadRowFailsItsWholeBatchAndChangesNothing()
    {
        var store = new RecordStore(Database);
        var tooPrecise = SyncedRow.Of(Opportunity(2, 10.005m), Monday);
        var badId = Row("006-not-an-id", Opportunity(3), Monday);

        var scale = Assert.ThrowsAsync<ArgumentException>(() => store.UpsertAsync([SyncedRow.Of(Opportunity(1), Monday), tooPrecise]));
        var id = Assert.ThrowsAsync<ArgumentException>(() => store.UpsertAsync([SyncedRow.Of(Opportunity(1), Monday), badId]));

        Assert.That(scale!.Message, Does.Contain(OpportunityId(2)).And.Contain("amount"));
        Assert.That(id!.Message, Does.Contain("006-not-an-id").And.Contain("row 1"));
        Assert.That((await store.LoadSnapshotAsync()).Opportunities, Is.Empty);
    }

    [Test]
    public async Task RecentActivityCanBeLoadedAlone()
    {
        var store = new RecordStore(Database);
        await store.UpsertAsync([
            SyncedRow.Of(Task(1, Monday.AddDays(-200)), Monday),
            SyncedRow.Of(Task(2, Monday.AddDays(-200), closed: false), Monday),
            SyncedRow.Of(Task(3, Monday.AddDays(-3)), Monday),
        ]);
        await store.UpsertAsync([
            SyncedRow.Of(new CalendarEvent(EventId(1), "1:1", null, Monday.AddDays(-200), null, 30, false, UserId(1), null, false), Monday),
            SyncedRow.Of(new CalendarEvent(EventId(2), "1:1", null, Monday.AddDays(7), null, 30, false, UserId(1), null, false), Monday),
        ]);

        var recent = await store.LoadSnapshotAsync(activitySince: Monday.AddDays(-84));
        var all = await store.LoadSnapshotAsync();

        Assert.That(recent.Tasks.Select(t => t.Id), Is.EqualTo(new[] { TaskId(2), TaskId(3) }), "recent or still open");
        Assert.That(recent.Events.Select(e => e.Id), Is.EqualTo(new[] { EventId(2) }));
        Assert.That(all.Tasks, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task ASnapshotKeepsOneCopyOfEachRepeatedValueInATableAndEachRowItsOwnId()
    {
        var store = new RecordStore(Database);
        await store.UpsertAsync([SyncedRow.Of(Task(1, Monday.AddDays(-3)), Monday), SyncedRow.Of(Task(2, Monday.AddDays(-2)), Monday)]);

        var snapshot = await store.LoadSnapshotAsync();

        var (first, second) = (snapshot.Tasks[0], snapshot.Tasks[1]);
        Assert.Multiple(() =>
        {
            Assert.That(first.OwnerId, Is.SameAs(second.OwnerId), "one owner id string for both tasks");
            Assert.That(first.Subject, Is.SameAs(second.Subject));
            Assert.That(first.Id, Is.EqualTo(TaskId(1)));
            Assert.That(second.Id, Is.EqualTo(TaskId(2)));
        });
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task APageAndItsWatermarkCommitTogetherOrNotAtAll(bool commit)
    {
        var records = new RecordStore(Database);
        var watermarks = new WatermarkStore(Database);
        var watermark = new Watermark("Task", Monday, TaskId(2), Monday.AddMinutes(5));

        await using (var transaction = await Database.BeginTransactionAsync())
        {
            await records.UpsertAsync([SyncedRow.Of(Task(1, Monday), Monday), SyncedRow.Of(Task(2, Monday), Monday)], transaction);
            await watermarks.SaveAsync(watermark, transaction);
            if (commit)
                await transaction.CommitAsync();
            else
                await transaction.RollbackAsync();
        }

        var tasks = (await records.LoadSnapshotAsync()).Tasks;
        var stored = await watermarks.GetAsync("Task");
        if (commit)
        {
            Assert.That(tasks, Has.Count.EqualTo(2));
            Assert.That(stored, Is.EqualTo(watermark));
        }
        else
        {
            Assert.That(tasks, Is.Empty);
            Assert.That(stored, Is.Null);
        }
    }

    [Test]
    public async Task AWatermarkMovesOnAndCanBeReset()
    {
        var watermarks = new WatermarkStore(Database);
        await watermarks.SaveAsync(new Watermark("Lead", Monday, null, Monday));
        await watermarks.SaveAsync(new Watermark("Lead", Monday.AddHours(1), LeadId(7), Monday.AddHours(1)));
        await watermarks.SaveAsync(new Watermark("Event", Monday, EventId(1), Monday));

        var list = await watermarks.ListAsync();
        await watermarks.ResetAsync("Lead");

        Assert.That(list, Is.EqualTo(new[]
        {
            new Watermark("Event", Monday, EventId(1), Monday),
            new Watermark("Lead", Monday.AddHours(1), LeadId(7), Monday.AddHours(1)),
        }));
        Assert.That(await watermarks.GetAsync("Lead"), Is.Null);
        Assert.That(() => watermarks.GetAsync("Lead; DROP TABLE leads"), Throws.ArgumentException);
    }

    [Test]
    public async Task TrustScoresAreKeptPerRepPerWeekAndRescoringReplaces()
    {
        var scores = new TrustScoreStore(Database);
        await scores.SaveAsync([Score(2, "2026-W09", 60), Score(3, "2026-W09", 80), Score(2, "2026-W10", 0.1 + 0.2)]);
        await scores.SaveAsync([Score(2, "2026-W09", 65.25)]);

        var week = await scores.ListWeekAsync("2026-W09");
        var trend = await scores.ListRepAsync(UserId(2), "2026-W01", "2026-W52");

        Assert.That(week, Is.EqualTo(new[] { Score(2, "2026-W09", 65.25), Score(3, "2026-W09", 80) }));
        Assert.That(trend.Select(s => s.Week), Is.EqualTo(new[] { "2026-W09", "2026-W10" }));
        Assert.That(trend[1].Trust, Is.EqualTo(0.1 + 0.2), "doubles round-trip bit for bit");
        Assert.That(TrustScoreStore.WeekOf(new DateOnly(2027, 1, 1)), Is.EqualTo("2026-W53"));
        var bad = Assert.ThrowsAsync<ArgumentException>(() => scores.SaveAsync([Score(4, "2026-W54")]));
        Assert.That(bad!.Message, Does.Contain("2026-W54"));
    }

    [Test]
    public async Task ARunItsRecommendationsAndTheirMessagesAreSavedTogether()
    {
        var routing = new RoutingStore(Database);
        var run = Run(Monday);
        // Moments finer than a millisecond are kept to the millisecond, as every write path stores them.
        var finer = Monday.AddTicks(12_345);
        var recommendations = new[]
        {
            Recommendation(run.Id, 1, 2),
            Recommendation(run.Id, 2, null, RecommendationStatus.Skipped) with { StatusReason = "no rep can take it", UpdatedAt = finer },
        };
        var message = Message("LeadAssignmentRecommended", finer);

        await routing.SaveRunAsync(run, recommendations, [message]);

        Assert.That(await routing.GetRunAsync(run.Id), Is.EqualTo(run));
        Assert.That(await routing.ListRecommendationsAsync(run.Id),
            Is.EqualTo(new[] { recommendations[0], recommendations[1] with { UpdatedAt = Monday.AddMilliseconds(1) } }));
        var claimed = await new Outbox(Database).ClaimAsync(10, Monday, TimeSpan.FromMinutes(1));
        Assert.That(claimed.Select(m => (m.Id, m.MessageType, m.Payload, m.CreatedAt, m.Attempts, m.LastError)),
            Is.EqualTo(new[] { (message.Id, message.MessageType, message.Payload, Monday.AddMilliseconds(1), 0, (string?)null) }));
    }

    [Test]
    public async Task AFailingRunSavesNothing()
    {
        var routing = new RoutingStore(Database);
        var earlier = Message("TrustScored", Monday);
        await new Outbox(Database).EnqueueAsync([earlier]);
        var run = Run(Monday);

        // The last write fails (the message id is already in the outbox): the run and its recommendations roll back too.
        Assert.That(
            () => routing.SaveRunAsync(run, [Recommendation(run.Id, 1, 2)], [Message("LeadAssignmentRecommended", Monday), earlier]),
            Throws.Exception);

        Assert.That(await routing.GetRunAsync(run.Id), Is.Null);
        Assert.That(await routing.ListRecommendationsAsync(run.Id), Is.Empty);
        var claimed = await new Outbox(Database).ClaimAsync(10, Monday, TimeSpan.FromMinutes(1));
        Assert.That(claimed.Select(m => m.Id), Is.EqualTo(new[] { earlier.Id }));
    }

    [Test]
    public async Task RecommendationsMoveForwardOnly()
    {
        var routing = new RoutingStore(Database);
        var old = Run(Monday.AddDays(-7));
        var run = Run(Monday);
        await routing.SaveRunAsync(run, [Recommendation(run.Id, 1, 2), Recommendation(run.Id, 2, 3), Recommendation(run.Id, 3, 3)], []);
        await routing.SaveRunAsync(old, [Recommendation(old.Id, 9, 2)], []);

        await routing.SetStatusAsync(run.Id, LeadId(1), RecommendationStatus.Approved, null, Monday.AddHours(1));
        await routing.SetStatusAsync(run.Id, LeadId(1), RecommendationStatus.Assigned, null, Monday.AddHours(2));
        await routing.SetStatusAsync(run.Id, LeadId(1), RecommendationStatus.Assigned, null, Monday.AddHours(3));
        await routing.SetStatusAsync(run.Id, LeadId(2), RecommendationStatus.Skipped, "Owner changed by a person", Monday.AddHours(1));

        var backwards = Assert.ThrowsAsync<InvalidOperationException>(
            () => routing.SetStatusAsync(run.Id, LeadId(1), RecommendationStatus.Skipped, null, Monday.AddHours(4)));
        Assert.That(backwards!.Message, Does.Contain(LeadId(1)).And.Contain("Assigned"));
        Assert.That(() => routing.SetStatusAsync(run.Id, LeadId(7), RecommendationStatus.Approved, null, Monday),
            Throws.TypeOf<KeyNotFoundException>().With.Message.Contains(LeadId(7)));
        Assert.That(() => routing.SetStatusAsync(run.Id, LeadId(3), RecommendationStatus.Pending, null, Monday),
            Throws.ArgumentException);

        var stored = await routing.ListRecommendationsAsync(run.Id);
        Assert.That(stored.Select(r => (r.LeadId, r.Status, r.StatusReason, r.UpdatedAt)), Is.EqualTo(new[]
        {
            (LeadId(1), RecommendationStatus.Assigned, (string?)null, Monday.AddHours(2)),
            (LeadId(2), RecommendationStatus.Skipped, "Owner changed by a person", Monday.AddHours(1)),
            (LeadId(3), RecommendationStatus.Pending, null, Monday),
        }));
        var outcomes = await routing.ListOutcomesAsync(run.Id);
        Assert.That(outcomes, Is.EqualTo(stored.Select(r => new RecommendationOutcome(r.RunId, r.LeadId, r.RepId, r.Tier, r.Mode, r.Status, r.StatusReason, r.UpdatedAt))),
            "a settlement's outcomes are the run's recommendations less their reasons");
        var pending = await routing.ListPendingAsync();
        Assert.That(pending.Select(r => r.LeadId), Is.EqualTo(new[] { LeadId(9), LeadId(3) }), "oldest run first");
    }

    [Test]
    public async Task ANewerRunSupersedesThePendingRecommendationsOfEarlierRunsForItsLeadsOnly()
    {
        var routing = new RoutingStore(Database);
        var (twoWeeksAgo, lastWeek, run, nextWeek) = (Run(Monday.AddDays(-14)), Run(Monday.AddDays(-7)), Run(Monday), Run(Monday.AddDays(7)));
        var decided = Enumerable.Range(1, 300).ToArray();
        await routing.SaveRunAsync(twoWeeksAgo, [Recommendation(twoWeeksAgo.Id, 1, 2), Recommendation(twoWeeksAgo.Id, 2, 2, RecommendationStatus.Assigned)], []);
        await routing.SaveRunAsync(lastWeek, [.. decided.Select(n => Recommendation(lastWeek.Id, n, 3)), Recommendation(lastWeek.Id, 999, 3)], []);
        await routing.SaveRunAsync(nextWeek, [Recommendation(nextWeek.Id, 5, 4)], []);
        await routing.SetStatusAsync(lastWeek.Id, LeadId(3), RecommendationStatus.Approved, null, Monday.AddHours(-1));

        int superseded;
        await using (var transaction = await Database.BeginTransactionAsync())
        {
            await routing.SaveRunAsync(run, decided.Select(n => Recommendation(run.Id, n, 4)).ToList(), [], transaction);
            superseded = await routing.SupersedeAsync(run.Id, run.AsOf, Monday.AddMinutes(5), transaction);
            await transaction.CommitAsync();
        }

        var reason = $"superseded by routing run {run.Id} as of 2026-03-02 09:00Z";
        var twoWeeksAgos = await routing.ListRecommendationsAsync(twoWeeksAgo.Id);
        var lastWeeks = (await routing.ListRecommendationsAsync(lastWeek.Id)).ToDictionary(r => r.LeadId);
        var runs = await routing.ListRecommendationsAsync(run.Id);
        var nextWeeks = await routing.ListRecommendationsAsync(nextWeek.Id);
        Assert.Multiple(() =>
        {
            Assert.That(superseded, Is.EqualTo(1 + 299), "lead 1 of two weeks ago, every pending lead of last week's but lead 3 (approved)");
            Assert.That(twoWeeksAgos.Select(r => (r.LeadId, r.Status, r.StatusReason)), Is.EqualTo(new[]
            {
                (LeadId(1), RecommendationStatus.Skipped, (string?)reason),
                (LeadId(2), RecommendationStatus.Assigned, null),
            }));
            Assert.That(lastWeeks[LeadId(3)].Status, Is.EqualTo(RecommendationStatus.Approved), "only pending ones are superseded");
            Assert.That(lastWeeks[LeadId(999)].Status, Is.EqualTo(RecommendationStatus.Pending), "a lead the newer run did not decide on stays");
            Assert.That(decided.Where(n => n != 3).Select(n => lastWeeks[LeadId(n)]),
                Has.All.Matches<LeadRouter.Storage.Recommendation>(r =>
                    r.Status == RecommendationStatus.Skipped && r.StatusReason == reason && r.UpdatedAt == Monday.AddMinutes(5)));
            Assert.That(runs.Select(r => r.Status), Has.All.EqualTo(RecommendationStatus.Pending), "the run's own recommendations stay pending");
            Assert.That(nextWeeks.Single().Status, Is.EqualTo(RecommendationStatus.Pending), "a later run is not superseded by an earlier one");
        });
    }

    [Test]
    public async Task ManyRecommendationsAndMessagesAreLookedUpAtOnce()
    {
        var routing = new RoutingStore(Database);
        var (run, other) = (Run(Monday), Run(Monday.AddDays(-7)));
        var leads = Enumerable.Range(1, 1_500).ToArray();
        await routing.SaveRunAsync(run, leads.Select(n => Recommendation(run.Id, n, n % 2 == 0 ? 2 : null) with { Reasons = $$"""{"lead":{{n}}}""" }).ToList(), []);
        await routing.SaveRunAsync(other, [Recommendation(other.Id, 1, 3, RecommendationStatus.Assigned)], []);
        var processed = new ProcessedMessages(Database);
        var messageIds = leads.Select(_ => Guid.NewGuid()).ToArray();
        await using (var transaction = await Database.BeginTransactionAsync())
        {
            foreach (var id in messageIds.Where((_, i) => i % 3 == 0))
                await processed.TryMarkProcessedAsync("lead-assignment", id, Monday, transaction);
            await transaction.CommitAsync();
        }

        var statuses = await routing.StatusesAsync([.. leads.Select(n => (run.Id, LeadId(n))), (other.Id, LeadId(1)), (other.Id, LeadId(2)), (run.Id, LeadId(1))]);
        var reasons = await routing.ReasonsAsync(run.Id, [LeadId(7), LeadId(1_499), LeadId(9_999)]);
        var seen = await processed.WhichProcessedAsync("lead-assignment", messageIds);

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Has.Count.EqualTo(1_501), "every pair with a recommendation, none without");
            Assert.That(statuses[(run.Id, LeadId(1_500))], Is.EqualTo((RecommendationStatus.Pending, (string?)UserId(2))));
            Assert.That(statuses[(run.Id, LeadId(1_499))], Is.EqualTo((RecommendationStatus.Pending, (string?)null)));
            Assert.That(statuses[(other.Id, LeadId(1))], Is.EqualTo((RecommendationStatus.Assigned, (string?)UserId(3))));
            Assert.That(reasons, Is.EquivalentTo(new Dictionary<string, string> { [LeadId(7)] = """{"lead":7}""", [LeadId(1_499)] = """{"lead":1499}""" }));
            Assert.That(seen, Is.EquivalentTo(messageIds.Where((_, i) => i % 3 == 0)));
        });
    }

    [Test]
    public async Task AConsumerBatchMarksItsMessagesAndMovesItsRecommendationsAsOneByOne()
    {
        var routing = new RoutingStore(Database);
        var processed = new ProcessedMessages(Database);
        var run = Run(Monday);
        await routing.SaveRunAsync(run, [Recommendation(run.Id, 1, 2), Recommendation(run.Id, 2, 2), Recommendation(run.Id, 3, 2, RecommendationStatus.Assigned)], []);
        var (earlier, first, second) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await using (var transaction = await Database.BeginTransactionAsync())
        {
            await processed.TryMarkProcessedAsync("lead-assignment", earlier, Monday, transaction);
            await transaction.CommitAsync();
        }

        bool[] marked;
        await using (var transaction = await Database.BeginTransactionAsync())
        {
            marked = await processed.TryMarkProcessedAsync("lead-assignment", [first, earlier, second, first], Monday, transaction);
            await routing.SetStatusesAsync(
            [
                new(run.Id, LeadId(1), RecommendationStatus.Assigned, "owner set to rep 2"),
                new(run.Id, LeadId(2), RecommendationStatus.Skipped, "someone took the lead meanwhile"),
                new(run.Id, LeadId(3), RecommendationStatus.Assigned, "a redelivery"),
            ], Monday.AddHours(1), transaction);
            await transaction.CommitAsync();
        }
        InvalidOperationException? backwards;
        await using (var transaction = await Database.BeginTransactionAsync())
        {
            backwards = Assert.ThrowsAsync<InvalidOperationException>(() => routing.SetStatusesAsync(
                [new(run.Id, LeadId(2), RecommendationStatus.Skipped, "again"), new(run.Id, LeadId(1), RecommendationStatus.Skipped, "late")],
                Monday.AddHours(2), transaction));
        }

        Assert.That(marked, Is.EqualTo(new[] { true, false, true, false }), "marked already, or earlier in the batch, counts as processed");
        Assert.That(backwards!.Message, Does.Contain(LeadId(1)).And.Contain("Assigned"));
        Assert.That((await routing.ListRecommendationsAsync(run.Id)).Select(r => (r.LeadId, r.Status, r.StatusReason)), Is.EqualTo(new[]
        {
            (LeadId(1), RecommendationStatus.Assigned, (string?)"owner set to rep 2"),
            (LeadId(2), RecommendationStatus.Skipped, "someone took the lead meanwhile"),
            (LeadId(3), RecommendationStatus.Assigned, null),
        }), "setting a status a recommendation has changes nothing; the refused batch left nothing");
        Assert.That(await processed.WhichProcessedAsync("lead-assignment", [earlier, first, second, Guid.NewGuid()]), Is.EquivalentTo(new[] { earlier, first, second }));
    }

    [Test]
    public async Task PendingAutoAssignRecommendationsAreCountedAsTheyAreListed()
    {
        var routing = new RoutingStore(Database);
        var run = Run(Monday);
        LeadRouter.Storage.Recommendation AutoAssign(int lead, int? rep) => Recommendation(run.Id, lead, rep) with { Mode = "AutoAssign" };
        await routing.SaveRunAsync(run,
        [
            AutoAssign(1, 2), AutoAssign(2, 3), AutoAssign(3, 3), AutoAssign(4, 2),
            AutoAssign(5, null),                // unroutable: nobody to assign it to
            Recommendation(run.Id, 6, 2),       // a manager decides
        ], []);
        await routing.SetStatusAsync(run.Id, LeadId(4), RecommendationStatus.Assigned, null, Monday.AddHours(1));
        await Database.InTransactionAsync(t => routing.DeferAsync(run.Id, LeadId(2), "UNABLE_TO_LOCK_ROW", Monday.AddHours(1), t), CancellationToken.None);

        var (waiting, deferred) = await routing.CountPendingAutoAssignAsync();
        var listed = await routing.ListPendingAutoAssignAsync();

        Assert.Multiple(() =>
        {
            Assert.That(listed.Select(r => r.LeadId), Is.EqualTo(new[] { LeadId(1), LeadId(2), LeadId(3) }));
            Assert.That((waiting, deferred), Is.EqualTo((listed.Count, listed.Count(r => r.StatusReason is not null))));
            Assert.That(deferred, Is.EqualTo(1));
        });
        Assert.That(await routing.ListPendingAutoAssignAsync(exceptRun: run.Id), Is.Empty, "a run just saved is left out");
        Assert.That((await routing.ListPendingAutoAssignAsync(exceptRun: Guid.NewGuid())).Select(r => r.LeadId), Is.EqualTo(listed.Select(r => r.LeadId)));
    }

    [Test]
    public async Task ThePublisherClaimsLeasesAndRetries()
    {
        var outbox = new Outbox(Database);
        var messages = Enumerable.Range(1, 3).Select(n => Message($"Message{n}", Monday)).ToArray();
        await outbox.EnqueueAsync(messages);
        var lease = TimeSpan.FromMinutes(1);

        var first = await outbox.ClaimAsync(2, Monday, lease);
        var second = await outbox.ClaimAsync(2, Monday, lease);
        await outbox.MarkSentAsync([first[0].Id], Monday.AddSeconds(1));
        await outbox.RecordFailureAsync(first[1].Id, new string('x', 5000), Monday.AddMinutes(10));
        var afterLease = await outbox.ClaimAsync(10, Monday.AddMinutes(2), lease);
        await outbox.MarkSentAsync([afterLease[0].Id], Monday.AddMinutes(2));
        var afterRetry = await outbox.ClaimAsync(10, Monday.AddMinutes(10), lease);

        Assert.That(first.Select(m => m.Id), Is.EqualTo(messages[..2].Select(m => m.Id)), "oldest first");
        Assert.That(second.Select(m => m.Id), Is.EqualTo(new[] { messages[2].Id }), "leased rows are not claimed twice");
        Assert.That(afterLease.Select(m => m.Id), Is.EqualTo(new[] { messages[2].Id }), "an expired lease frees the row; a failure waits");
        Assert.That(afterRetry.Select(m => (m.Id, m.Attempts)), Is.EqualTo(new[] { (messages[1].Id, 1) }));
        Assert.That(afterRetry[0].LastError, Has.Length.EqualTo(Outbox.MaxErrorLength));
        Assert.That(afterRetry[0].CreatedAt, Is.EqualTo(Monday));
        Assert.That(await outbox.PurgeSentAsync(Monday.AddMinutes(1)), Is.EqualTo(1));
    }

    [Test]
    public async Task OutboxLeasesNameTheirOwnerWhoAloneReleasesThem()
    {
        var (mine, other) = (LeaseOwner.ForThisProcess(), LeaseOwner.ForThisProcess());
        var messages = Enumerable.Range(1, 3).Select(n => Message($"Message{n}", Monday)).ToArray();
        await new Outbox(Database).EnqueueAsync(messages);
        var claimed = await new Outbox(Database, mine).ClaimAsync(2, Monday, TimeSpan.FromMinutes(1));

        await new Outbox(Database, other).ReleaseAsync(claimed.Select(m => m.Id).ToList());
        var holders = await new Outbox(Database).LeaseHoldersAsync(Monday.AddSeconds(1));
        var afterOthersRelease = await new Outbox(Database, other).ClaimAsync(10, Monday.AddSeconds(1), TimeSpan.FromMinutes(1));
        await new Outbox(Database, mine).ReleaseAsync(claimed.Select(m => m.Id).ToList());
        var afterOwnRelease = await new Outbox(Database, other).ClaimAsync(10, Monday.AddSeconds(2), TimeSpan.FromMinutes(1));

        Assert.That(holders, Is.EqualTo(new[] { new OutboxLeaseHolder(mine.Id, 2, Monday.AddMinutes(1)) }));
        Assert.That(afterOthersRelease.Select(m => m.Id), Is.EqualTo(new[] { messages[2].Id }), "another's release leaves my lease");
        Assert.That(afterOwnRelease.Select(m => m.Id), Is.EqualTo(messages[..2].Select(m => m.Id)), "my release frees my rows");
        Assert.That((await new Outbox(Database).LeaseHoldersAsync(Monday.AddSeconds(2))).Select(h => (h.Owner, h.Rows)),
            Is.EqualTo(new[] { (other.Id, 3) }));
    }

    [Test]
    public async Task LeasesOfAProcessThatIsGoneAreReleasedAndALiveHoldersAreKept()
    {
        var gone = new LeaseOwner($"{Environment.MachineName}/{ExitedProcessId()}/0badc0de");
        var live = LeaseOwner.ForThisProcess();
        await new Outbox(Database).EnqueueAsync(Enumerable.Range(1, 3).Select(n => Message($"Message{n}", Monday)).ToArray());
        await new Outbox(Database, gone).ClaimAsync(2, Monday, TimeSpan.FromMinutes(1));
        await new Outbox(Database, live).ClaimAsync(2, Monday, TimeSpan.FromMinutes(1));

        var released = await new Outbox(Database).ReleaseGoneHoldersAsync(Monday.AddSeconds(1));

        Assert.That(released.Select(h => (h.Owner, h.Rows)), Is.EqualTo(new[] { (gone.Id, 2) }));
        Assert.That((await new Outbox(Database).LeaseHoldersAsync(Monday.AddSeconds(1))).Select(h => (h.Owner, h.Rows)),
            Is.EqualTo(new[] { (live.Id, 1) }));
        Assert.That(await new Outbox(Database).ClaimAsync(10, Monday.AddSeconds(1), TimeSpan.FromMinutes(1)), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task TheSyncLeaseHasOneHolderUntilItIsReleasedOrRunsOut()
    {
        var lease = new StoreLease(Database, StoreLease.Sync);
        var (first, second) = (LeaseOwner.ForThisProcess(), LeaseOwner.ForThisProcess());
        var minute = TimeSpan.FromMinutes(1);

        var taken = await lease.TryTakeAsync(first, Monday, minute);
        var takenTwice = await lease.TryTakeAsync(second, Monday.AddSeconds(30), minute);
        var renewed = await lease.RenewAsync(first, Monday.AddSeconds(50), minute);
        var whileRenewed = await lease.TryTakeAsync(second, Monday.AddSeconds(70), minute);
        var holder = await lease.HolderAsync();
        var afterRunningOut = await lease.TryTakeAsync(second, Monday.AddSeconds(111), minute);
        var lateRenewal = await lease.RenewAsync(first, Monday.AddSeconds(112), minute);
        await lease.ReleaseAsync(first);
        var stillSeconds = (await lease.HolderAsync()).Owner;
        await lease.ReleaseAsync(second);

        Assert.That((taken, takenTwice, renewed, whileRenewed), Is.EqualTo((true, false, true, false)));
        Assert.That(holder, Is.EqualTo(((string?)first.Id, (DateTimeOffset?)Monday.AddSeconds(110))));
        Assert.That((afterRunningOut, lateRenewal), Is.EqualTo((true, false)), "a lease that ran out passes on; its old holder cannot renew it");
        Assert.That(stillSeconds, Is.EqualTo(second.Id), "only the holder releases");
        Assert.That(await lease.HolderAsync(), Is.EqualTo(((string?)null, (DateTimeOffset?)null)));
        Assert.That(await lease.TryTakeAsync(new LeaseOwner($"{Environment.MachineName}/{ExitedProcessId()}/0badc0de"), Monday, minute), Is.True);
        Assert.That(await lease.TryTakeAsync(first, Monday.AddSeconds(1), minute), Is.True, "the lease of a process that is gone is taken over");
    }

    /// <summary>The id of a process that has run and exited.</summary>
    private static int ExitedProcessId()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    [TestCase("{not json")]
    [TestCase("")]
    [TestCase("{} {}")]
    [TestCase("[1,]")]
    [TestCase("{\"open\": [1, 2}")]
    public async Task ABadMessageIsRefusedBeforeAnythingIsWritten(string payload)
    {
        var outbox = new Outbox(Database);
        var good = Message("TrustScored", Monday);
        var bad = good with { Id = Guid.NewGuid(), Payload = payload };

        var error = Assert.ThrowsAsync<ArgumentException>(() => outbox.EnqueueAsync([good, bad]));

        Assert.That(error!.Message, Does.Contain(bad.Id.ToString()).And.Contain("payload: not valid JSON"));
        Assert.That(await outbox.ClaimAsync(10, Monday, TimeSpan.FromMinutes(1)), Is.Empty);
    }

    [Test]
    public async Task AConsumerRecognisesARedeliveredMessage()
    {
        var processed = new ProcessedMessages(Database);
        var messageId = Guid.NewGuid();

        bool rolledBack;
        await using (var transaction = await Database.BeginTransactionAsync())
            rolledBack = await processed.TryMarkProcessedAsync("routing", messageId, Monday, transaction);
        bool first, duplicate, otherConsumer;
        await using (var transaction = await Database.BeginTransactionAsync())
        {
            first = await processed.TryMarkProcessedAsync("routing", messageId, Monday, transaction);
            duplicate = await processed.TryMarkProcessedAsync("routing", messageId, Monday, transaction);
            await transaction.CommitAsync();
        }
        bool redelivered;
        await using (var transaction = await Database.BeginTransactionAsync())
        {
            redelivered = await processed.TryMarkProcessedAsync("routing", messageId, Monday.AddMinutes(1), transaction);
            otherConsumer = await processed.TryMarkProcessedAsync("digest", messageId, Monday.AddMinutes(1), transaction);
            await transaction.CommitAsync();
        }

        Assert.That(rolledBack, Is.True, "a rolled-back transaction records nothing");
        Assert.That(first, Is.True);
        Assert.That(duplicate, Is.False);
        Assert.That(redelivered, Is.False);
        Assert.That(otherConsumer, Is.True, "each consumer keeps its own record");
        Assert.That(await processed.PurgeAsync(Monday.AddSeconds(30)), Is.EqualTo(1));
    }
}
