using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace LeadRouter.Worker.Hosting;

/// <summary>
/// Console log lines a person can read: "warn: Category[event] message (ExceptionType: first line)".
/// An exception's stack trace never reaches the console; the message says what failed.
/// </summary>
public sealed class OneLineConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "leadrouter-one-line";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
            return;
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id);
        textWriter.Write("] ");
        textWriter.Write(OneLine(message));
        if (logEntry.Exception is { } exception)
            textWriter.Write($" ({exception.GetType().Name}: {OneLine(exception.Message)})");
        textWriter.WriteLine();
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };
}
