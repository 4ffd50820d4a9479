namespace Vigil.PromQL.Engine;

/// <summary>The kinds of query failure, as the Prometheus API names them in <c>errorType</c>.</summary>
public enum QueryErrorType
{
    /// <summary><c>bad_data</c> (HTTP 400): the query or a parameter is malformed.</summary>
    BadData,

    /// <summary><c>execution</c> (HTTP 422): evaluation failed (e.g. many-to-many matching, too many samples).</summary>
    Execution,

    /// <summary><c>timeout</c> (HTTP 503): the query ran past its timeout.</summary>
    Timeout,

    /// <summary><c>canceled</c> (HTTP 503): the query was cancelled (the client went away).</summary>
    Canceled,

    /// <summary><c>internal</c> (HTTP 500): a storage or engine fault.</summary>
    Internal,
}

/// <summary>A failed query, carrying the error type the HTTP API reports and Prometheus's wording in <see cref="Exception.Message"/>.</summary>
public sealed class QueryException : Exception
{
    /// <summary>A query error of <paramref name="type"/> with <paramref name="message"/>.</summary>
    public QueryException(QueryErrorType type, string message)
        : base(message)
    {
        ErrorType = type;
    }

    /// <summary>A query error of <paramref name="type"/> caused by <paramref name="inner"/>.</summary>
    public QueryException(QueryErrorType type, string message, Exception inner)
        : base(message, inner)
    {
        ErrorType = type;
    }

    /// <summary>The error type.</summary>
    public QueryErrorType ErrorType { get; }

    /// <summary>The API's <c>errorType</c> string.</summary>
    public string ApiErrorType => ErrorType switch
    {
        QueryErrorType.BadData => "bad_data",
        QueryErrorType.Execution => "execution",
        QueryErrorType.Timeout => "timeout",
        QueryErrorType.Canceled => "canceled",
        _ => "internal",
    };
}
