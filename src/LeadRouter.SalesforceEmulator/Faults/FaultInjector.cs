namespace LeadRouter.SalesforceEmulator.Faults;

/// <summary>The live fault switches of one emulator and the seeded dice that decide each fault.</summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private FaultSettings _settings;
    private Random _dice;

    internal FaultInjector(FaultSettings settings)
    {
        settings.Validate();
        _settings = settings;
        _dice = new Random(settings.Seed);
    }

    /// <summary>The faults in force. Setting them validates them and reseeds the dice.</summary>
    public FaultSettings Settings
    {
        get
        {
            lock (_gate)
                return _settings;
        }
        set
        {
            value.Validate();
            lock (_gate)
            {
                _settings = value;
                _dice = new Random(value.Seed);
            }
        }
    }

    internal bool ServerUnavailable() => Roll(s => s.UnavailableRate);

    internal bool LockRow() => Roll(s => s.LockRowRate);

    internal bool RejectCollectionRecord() => Roll(s => s.CollectionFailureRate);

    internal bool FailBulkJob() => Roll(s => s.BulkJobFailureRate);

    private bool Roll(Func<FaultSettings, double> rate)
    {
        lock (_gate)
        {
            var share = rate(_settings);
            // A zero rate draws nothing, so faults that are off leave the sequence of those that are on unchanged.
            return share > 0 && _dice.NextDouble() < share;
        }
    }
}
