using Microsoft.AspNetCore.Http;

namespace Vigil.Server.Api;

/// <summary>The <c>errorType</c> values of Prometheus's HTTP API (web/api/v1 <c>errorType</c>).</summary>
public enum ApiErrorType
{
    /// <summary><c>bad_data</c>: a malformed parameter (HTTP 400).</summary>
    BadData,

    /// <summary><c>execution</c>: the query failed while running (HTTP 422).</summary>
    Execution,

    /// <summary><c>timeout</c>: the query ran past its timeout (HTTP 503).</summary>
    Timeout,

    /// <summary><c>canceled</c>: the query was cancelled (HTTP 503).</summary>
    Canceled,

    /// <summary><c>internal</c>: a storage or server fault (HTTP 500).</summary>
    Internal,

    /// <summary><c>not_found</c> (HTTP 404).</summary>
    NotFound,

    /// <summary><c>unavailable</c>: the feature is switched off (HTTP 500, as Prometheus answers for disabled admin APIs).</summary>
    Unavailable,
}

/// <summary>A failed API call: the error type and Prometheus's message. Thrown by handlers, written by the API's error path.</summary>
public sealed class ApiException : Exception
{
    /// <summary>An API error of <paramref name="type"/>.</summary>
    public ApiException(ApiErrorType type, string message, Exception? inner = null)
        : base(message, inner)
    {
        Type = type;
    }

    /// <summary>A <c>bad_data</c> error.</summary>
    public ApiException()
        : this(ApiErrorType.BadData, "bad data")
    {
    }

    /// <summary>A <c>bad_data</c> error with <paramref name="message"/>.</summary>
    public ApiException(string message)
        : this(ApiErrorType.BadData, message)
    {
    }

    /// <summary>A <c>bad_data</c> error with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public ApiException(string message, Exception innerException)
        : this(ApiErrorType.BadData, message, innerException)
    {
    }

    /// <summary>The error type.</summary>
    public ApiErrorType Type { get; }

    /// <summary>Prometheus's <c>invalid parameter "NAME": REASON</c> (its <c>invalidParamError</c>).</summary>
    public static ApiException InvalidParameter(string parameter, string reason)
        => new(ApiErrorType.BadData, $"invalid parameter \"{parameter}\": {reason}");

    /// <summary>The <c>errorType</c> string.</summary>
    public static string Name(ApiErrorType type) => type switch
    {
        ApiErrorType.BadData => "bad_data",
        ApiErrorType.Execution => "execution",
        ApiErrorType.Timeout => "timeout",
        ApiErrorType.Canceled => "canceled",
        ApiErrorType.NotFound => "not_found",
        ApiErrorType.Unavailable => "unavailable",
        _ => "internal",
    };

    /// <summary>The HTTP status Prometheus answers with for <paramref name="type"/> (its <c>respondError</c>).</summary>
    public static int StatusCode(ApiErrorType type) => type switch
    {
        ApiErrorType.BadData => StatusCodes.Status400BadRequest,
        ApiErrorType.Execution => StatusCodes.Status422UnprocessableEntity,
        ApiErrorType.Timeout or ApiErrorType.Canceled => StatusCodes.Status503ServiceUnavailable,
        ApiErrorType.NotFound => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status500InternalServerError,
    };
}
