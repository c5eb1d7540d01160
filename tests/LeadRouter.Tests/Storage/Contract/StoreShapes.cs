using LeadRouter.Storage;

namespace LeadRouter.Tests.Storage;

/// <summary>The tables whose columns the code maps, so the tests can hold every migration to them.</summary>
internal static class StoreShapes
{
    public static IReadOnlyList<TableShape> All { get; } =
    [
        .. SyncedTables.Shapes,
        WatermarkStore.Shape,
        TrustScoreStore.Shape,
        ProcessedMessages.Shape,
    ];
}
