using Vigil.Model;
using Vigil.Storage;
using Vigil.Tsdb;

namespace Vigil.Server.Tests.Api;

/// <summary>The data set the API tests query (the same one the compat tests load into Prometheus).</summary>
internal static class ApiTestData
{
    public static void AppendUpAndRequests(TimeSeriesDb db)
    {
        var app = db.Appender();
        void Add(Labels labels, params (long Seconds, double Value)[] samples)
        {
            var r = default(SeriesRef);
            foreach (var (t, v) in samples)
            {
                app.Append(ref r, labels, t * 1000, v);
            }
        }
        Add(Labels.Of("__name__", "http_requests_total", "code", "200", "instance", "a:1", "job", "api"), (1000, 1), (1060, 5), (1120, 9));
        Add(Labels.Of("__name__", "http_requests_total", "code", "500", "instance", "b:1", "job", "api"), (1000, 2), (1060, 3), (1120, 4));
        Add(Labels.Of("__name__", "up", "instance", "a:1", "job", "api"), (1000, 1), (1060, 1), (1120, 1));
        Add(Labels.Of("__name__", "up", "instance", "n:9100", "job", "node", "zz", "ö"), (1000, 0), (1120, 1));
        app.Commit();
    }
}
