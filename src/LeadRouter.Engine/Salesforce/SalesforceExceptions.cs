using System.Net;

namespace LeadRouter.Salesforce;

/// <summary>One entry of a Salesforce REST error body: <c>[{"message","errorCode","fields"}]</c>.</summary>
public sealed record SalesforceError(string ErrorCode, string Message, IReadOnlyList<string> Fields);

/// <summary>Salesforce error codes the client makes decisions on (decisions use the code, never the message).</summary>
public static class SalesforceErrorCodes
{
    public const string InvalidSessionId = "INVALID_SESSION_ID";
    public const string UnableToLockRow = "UNABLE_TO_LOCK_ROW";

    /// <summary>The client's name for an HTTP 412 answer to a conditional write: the record changed after the date given.</summary>
    public const string PreconditionFailed = "PRECONDITION_FAILED";
    public const string RequestLimitExceeded = "REQUEST_LIMIT_EXCEEDED";
}

/// <summary>
/// A Salesforce REST call failed. Carries the HTTP status and every entry of the error array.
/// The message names the call (method and path, never the query string or the body).
/// </summary>
public class SalesforceApiException : Exception
{
    public SalesforceApiException(HttpStatusCode status, string method, string path, IReadOnlyList<SalesforceError> errors, string? detail = null)
        : base(Describe(status, method, path, errors, detail))
    {
        Status = status;
        Method = method;
        Path = path;
        Errors = errors;
    }

    public HttpStatusCode Status { get; }
    public string Method { get; }
    public string Path { get; }
    public IReadOnlyList<SalesforceError> Errors { get; }

    public bool HasErrorCode(string errorCode) => Errors.Any(e => e.ErrorCode == errorCode);

    private static string Describe(HttpStatusCode status, string method, string path, IReadOnlyList<SalesforceError> errors, string? detail)
    {
        var head = $"Salesforce answered {(int)status} {status} to {method} {path}";
        if (errors.Count > 0)
        {
            var each = errors.Select(e => e.Fields.Count == 0
                ? $"{e.ErrorCode}: {e.Message}"
                : $"{e.ErrorCode} on {string.Join(", ", e.Fields)}: {e.Message}");
            return head + ": " + string.Join("; ", each);
        }
        return detail is null ? head + "." : head + ": " + detail;
    }
}

/// <summary>
/// REQUEST_LIMIT_EXCEEDED: the org's API allowance is spent. The client never retries it; the run
/// must stop and wait for the rolling 24-hour window to free calls.
/// </summary>
public sealed class SalesforceRequestLimitExceededException(HttpStatusCode status, string method, string path, IReadOnlyList<SalesforceError> errors)
    : SalesforceApiException(status, method, path, errors, null)
{
    public override string Message =>
        base.Message + " The org's API request limit is exhausted; the run stops and is not retried.";
}

/// <summary>The OAuth token endpoint refused to sign in: <c>{"error","error_description"}</c>. Carries no credential.</summary>
public sealed class SalesforceAuthException(HttpStatusCode? status, string error, string? description)
    : Exception($"Salesforce sign-in failed{(status is null ? "" : $" ({(int)status} {status})")}: {error}{(description is null ? "" : $" - {description}")}")
{
    public HttpStatusCode? Status { get; } = status;

    /// <summary>The OAuth error code, e.g. invalid_grant, invalid_client_id.</summary>
    public string Error { get; } = error;

    public string? Description { get; } = description;
}

/// <summary>A pull was refused before it started because it would take the org past the configured share of its daily API allowance.</summary>
public sealed class SalesforceApiBudgetException(ApiBudgetCheck check) : Exception(check.Explain())
{
    public ApiBudgetCheck Check { get; } = check;
}

/// <summary>A Bulk API 2.0 query job ended Failed or Aborted, or did not finish in time. Carries the job id, never the query.</summary>
public sealed class SalesforceBulkJobException(string jobId, string objectName, string state, string? reason)
    : Exception($"Salesforce's Bulk query job {jobId} on {objectName} ended {state}{(reason is null ? "" : $": {reason}")}.")
{
    public string JobId { get; } = jobId;
    public string State { get; } = state;
}
