using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vigil.Alerting.History;
using Vigil.Alerting.Matching;
using Vigil.Alerting.Silencing;
using Vigil.Model;

namespace Vigil.Server.Alerting;

public static partial class AlertmanagerApi
{
    private static IResult GetSilences(AlertingService service, HttpRequest request)
    {
        if (!TryParseFilter(request, out var filter, out var error))
        {
            return Payload(StatusCodes.Status400BadRequest, error);
        }
        var now = service.Time.GetUtcNow();
        var silences = service.Silences.All().Where(s =>
        {
            var byName = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var m in s.Matchers)
            {
                byName[m.Name] = m.Value;
            }
            return MatchesFilter(filter, name => byName.GetValueOrDefault(name, ""), byName.ContainsKey);
        }).ToList();
        // Alertmanager's SortSilences: active (soonest end first), then pending (soonest start first), then expired (latest end first).
        silences.Sort((a, b) =>
        {
            var sa = a.StateAt(now);
            var sb = b.StateAt(now);
            if (sa != sb)
            {
                return Order(sa).CompareTo(Order(sb));
            }
            return sa switch
            {
                SilenceState.Active => a.EndsAt.CompareTo(b.EndsAt),
                SilenceState.Pending => a.StartsAt.CompareTo(b.StartsAt),
                _ => b.EndsAt.CompareTo(a.EndsAt),
            };
        });
        return Json(w =>
        {
            w.WriteStartArray();
            foreach (var s in silences)
            {
                AlertmanagerJson.WriteSilence(w, s, now);
            }
            w.WriteEndArray();
        });

        static int Order(SilenceState state) => state switch
        {
            SilenceState.Active => 1,
            SilenceState.Pending => 2,
            _ => 3,
        };
    }

    private static IResult GetSilence(AlertingService service, string id)
    {
        if (!Guid.TryParse(id, out _))
        {
            return NotUuid(id);
        }
        var silence = service.Silences.Get(id);
        return silence is null
            ? Results.NotFound()
            : Json(w => AlertmanagerJson.WriteSilence(w, silence, service.Time.GetUtcNow()));
    }

    private static IResult DeleteSilence(AlertingService service, string id)
    {
        if (!Guid.TryParse(id, out _))
        {
            return NotUuid(id);
        }
        try
        {
            service.Silences.Expire(id);
        }
        catch (SilenceException e) when (e.NotFound)
        {
            return Payload(StatusCodes.Status404NotFound, e.Message);
        }
        catch (SilenceException e)
        {
            return Payload(StatusCodes.Status500InternalServerError, e.Message);
        }
        service.SaveSilences();
        return Results.Ok();
    }

    private static IResult NotUuid(string id) => Error(StatusCodes.Status422UnprocessableEntity, 601, $"silenceID in path must be of type uuid: \"{id}\"");

    private static async Task<IResult> PostSilence(AlertingService service, HttpRequest request)
    {
        Silence silence;
        string? invalidMatcher;
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body).ConfigureAwait(false);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Error(StatusCodes.Status400BadRequest, 400, $"parsing silence body from \"\" failed, because json: cannot unmarshal {GoJsonKind(doc.RootElement)} into Go value of type models.PostableSilence");
            }
            if (ReadSilence(doc.RootElement, out silence, out invalidMatcher) is { } validation)
            {
                return Error(StatusCodes.Status422UnprocessableEntity, validation.Code, validation.Message);
            }
        }
        catch (JsonException e)
        {
            return Error(StatusCodes.Status400BadRequest, 400, $"parsing silence body from \"\" failed, because {e.Message}");
        }
        if (silence.StartsAt >= silence.EndsAt)
        {
            return Payload(StatusCodes.Status400BadRequest, "Failed to create silence: start time must be before end time");
        }
        if (silence.EndsAt < service.Time.GetUtcNow())
        {
            return Payload(StatusCodes.Status400BadRequest, "Failed to create silence: end time can't be in the past");
        }
        if (invalidMatcher is not null)
        {
            return Payload(StatusCodes.Status400BadRequest, invalidMatcher);
        }
        string id;
        try
        {
            id = service.Silences.Set(silence);
        }
        catch (SilenceException e) when (e.NotFound)
        {
            return Payload(StatusCodes.Status404NotFound, e.Message);
        }
        catch (SilenceException e)
        {
            return Payload(StatusCodes.Status400BadRequest, e.Message);
        }
        service.SaveSilences();
        return Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("silenceID", id);
            w.WriteEndObject();
        });
    }

    private sealed record Validation(int Code, string Message);

    // go-openapi validates required fields (code 602) and the matcher count (612) before the handler runs; the
    // handler's conversion then checks each matcher.
    private static Validation? ReadSilence(JsonElement body, out Silence silence, out string? invalidMatcher)
    {
        silence = null!;
        invalidMatcher = null;
        foreach (var required in (ReadOnlySpan<string>)["comment", "createdBy", "endsAt"])
        {
            if (!body.TryGetProperty(required, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                return new Validation(602, $"{required} in body is required");
            }
        }
        if (!body.TryGetProperty("matchers", out var matchersJson) || matchersJson.ValueKind == JsonValueKind.Null)
        {
            return new Validation(602, "matchers in body is required");
        }
        if (matchersJson.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException($"json: cannot unmarshal {GoJsonKind(matchersJson)} into Go struct field .matchers of type models.Matchers");
        }
        if (matchersJson.GetArrayLength() == 0)
        {
            return new Validation(612, "matchers in body should have at least 1 items");
        }
        var index = 0;
        foreach (var m in matchersJson.EnumerateArray())
        {
            foreach (var required in (ReadOnlySpan<string>)["isRegex", "name", "value"])
            {
                if (!m.TryGetProperty(required, out var v) || v.ValueKind == JsonValueKind.Null)
                {
                    return new Validation(602, $"matchers.{index.ToString(CultureInfo.InvariantCulture)}.{required} in body is required");
                }
            }
            index++;
        }
        if (!body.TryGetProperty("startsAt", out var startsJson) || startsJson.ValueKind == JsonValueKind.Null)
        {
            return new Validation(602, "startsAt in body is required");
        }
        var matchers = new List<Matcher>();
        foreach (var m in matchersJson.EnumerateArray())
        {
            var name = m.GetProperty("name").GetString() ?? "";
            var value = m.GetProperty("value").GetString() ?? "";
            var isRegex = m.GetProperty("isRegex").GetBoolean();
            var isEqual = !m.TryGetProperty("isEqual", out var eq) || eq.ValueKind == JsonValueKind.Null || eq.GetBoolean();
            var type = (isRegex, isEqual) switch
            {
                (false, true) => LabelMatchType.Equal,
                (false, false) => LabelMatchType.NotEqual,
                (true, true) => LabelMatchType.Regex,
                _ => LabelMatchType.NotRegex,
            };
            if (SilenceValidation.MatcherError(type, name, value) is { } matcherError)
            {
                // Alertmanager converts matchers unchecked; the store's validation then reports the first bad one.
                invalidMatcher ??= $"silence invalid: invalid label matcher {matchers.Count.ToString(CultureInfo.InvariantCulture)}: {matcherError}";
                matchers.Add(Matcher.Create(LabelMatchType.Equal, "invalid", "invalid"));
                continue;
            }
            matchers.Add(Matcher.Create(type, name, value));
        }
        silence = Build(body, matchers);
        return null;
    }

    private static Silence Build(JsonElement body, List<Matcher> matchers) => new()
    {
        Id = body.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : "",
        Matchers = matchers,
        StartsAt = ReadTime(body, "startsAt"),
        EndsAt = ReadTime(body, "endsAt"),
        CreatedBy = body.GetProperty("createdBy").GetString() ?? "",
        Comment = body.GetProperty("comment").GetString() ?? "",
    };

    // ---- history (Vigil's own) ----

    private static IResult GetHistory(AlertingService service, HttpRequest request)
    {
        if (!TryParseFilter(request, out var filter, out var error))
        {
            return Payload(StatusCodes.Status400BadRequest, error);
        }
        var now = service.Time.GetUtcNow();
        if (!TryTime(request, "start", DateTimeOffset.MinValue, out var start) || !TryTime(request, "end", now, out var end))
        {
            return Payload(StatusCodes.Status400BadRequest, "invalid start or end: want RFC 3339 or Unix seconds");
        }
        HistoryEventKind? kind = null;
        if (request.Query.TryGetValue("kind", out var k) && k.Count > 0)
        {
            if (!HistoryEvent.TryParseKind(k[0]!, out var parsed))
            {
                return Payload(StatusCodes.Status400BadRequest, $"invalid kind \"{k[0]}\": want firing, resolved, silenced, inhibited, unsuppressed or notification");
            }
            kind = parsed;
        }
        var limit = 1000;
        if (request.Query.TryGetValue("limit", out var l) && l.Count > 0 && (!int.TryParse(l[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit <= 0))
        {
            return Payload(StatusCodes.Status400BadRequest, $"invalid limit \"{l[0]}\": want a positive integer");
        }
        var events = service.History.Query(filter, start, end, kind, limit);
        return Json(w =>
        {
            w.WriteStartArray();
            foreach (var e in events)
            {
                AlertHistory.WriteJson(w, e);
            }
            w.WriteEndArray();
        });
    }

    private static bool TryTime(HttpRequest request, string name, DateTimeOffset fallback, out DateTimeOffset value)
    {
        value = fallback;
        if (!request.Query.TryGetValue(name, out var v) || v.Count == 0 || string.IsNullOrEmpty(v[0]))
        {
            return true;
        }
        if (double.TryParse(v[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            value = DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
            return true;
        }
        return DateTimeOffset.TryParse(v[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
