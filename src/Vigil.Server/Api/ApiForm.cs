using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Vigil.Server.Api;

/// <summary>
/// A request's parameters the way Go's <c>r.Form</c> holds them: for POST, PUT and PATCH the form body's values
/// first, then the URL query's; for other methods only the URL query. <see cref="Value"/> is Go's <c>FormValue</c>.
/// </summary>
public sealed class ApiForm
{
    private readonly IQueryCollection _query;
    private readonly IFormCollection? _body;

    private ApiForm(IQueryCollection query, IFormCollection? body)
    {
        _query = query;
        _body = body;
    }

    /// <summary>Reads the query string and, for a form-encoded POST/PUT/PATCH, the body.</summary>
    public static async Task<ApiForm> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        IFormCollection? body = null;
        if ((HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method)) && request.HasFormContentType)
        {
            try
            {
                body = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                throw new ApiException(ApiErrorType.BadData, $"error parsing form values: {e.Message}", e);
            }
        }
        return new ApiForm(request.Query, body);
    }

    /// <summary>A form over a query string alone (tests, GET requests).</summary>
    public static ApiForm FromQuery(IQueryCollection query) => new(query, null);

    /// <summary>The first value of <paramref name="key"/>, or "" when absent (Go's <c>FormValue</c>).</summary>
    public string Value(string key)
    {
        if (_body is not null && _body.TryGetValue(key, out var fromBody) && fromBody.Count > 0)
        {
            return fromBody[0] ?? "";
        }
        return _query.TryGetValue(key, out var fromQuery) && fromQuery.Count > 0 ? fromQuery[0] ?? "" : "";
    }

    /// <summary>Every value of <paramref name="key"/>: the body's, then the query string's (Go's <c>r.Form[key]</c>).</summary>
    public IReadOnlyList<string> Values(string key)
    {
        var fromBody = _body is not null && _body.TryGetValue(key, out var b) ? b : StringValues.Empty;
        var fromQuery = _query.TryGetValue(key, out var q) ? q : StringValues.Empty;
        if (fromBody.Count == 0)
        {
            return Strings(fromQuery);
        }
        var all = new List<string>(fromBody.Count + fromQuery.Count);
        all.AddRange(Strings(fromBody));
        all.AddRange(Strings(fromQuery));
        return all;
    }

    private static string[] Strings(StringValues values)
    {
        var result = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            result[i] = values[i] ?? "";
        }
        return result;
    }
}
