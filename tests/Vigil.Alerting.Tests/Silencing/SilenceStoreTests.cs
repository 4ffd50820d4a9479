using Vigil.Alerting.Matching;
using Vigil.Alerting.Silencing;
using Vigil.Model;
using Vigil.Testing;

namespace Vigil.Alerting.Tests.Silencing;

public sealed class SilenceStoreTests
{
    private static Silence New(ManualClock clock, TimeSpan start, TimeSpan end, params Matcher[] matchers) => new()
    {
        Matchers = matchers.Length > 0 ? matchers : [Matcher.Create(LabelMatchType.Equal, "alertname", "A")],
        StartsAt = clock.GetUtcNow() + start,
        EndsAt = clock.GetUtcNow() + end,
        CreatedBy = "me",
        Comment = "c",
    };

    [Fact]
    public void A_new_silence_starting_in_the_past_starts_now_and_is_active()
    {
        var clock = new ManualClock();
        var store = new SilenceStore(clock, TimeSpan.FromHours(120));
        var id = store.Set(New(clock, TimeSpan.FromHours(-1), TimeSpan.FromHours(1)));
        var s = store.Get(id)!;
        Assert.Equal(clock.GetUtcNow(), s.StartsAt);
        Assert.Equal(clock.GetUtcNow(), s.UpdatedAt);
        Assert.Equal(SilenceState.Active, s.StateAt(clock.GetUtcNow()));
        Assert.True(Guid.TryParse(id, out _));
    }

    [Fact]
    public void An_active_silence_is_updated_in_place_when_only_its_end_and_comment_change()
    {
        var clock = new ManualClock();
        var store = new SilenceStore(clock, TimeSpan.FromHours(120));
        var id = store.Set(New(clock, TimeSpan.Zero, TimeSpan.FromHours(1)));
        clock.Advance(TimeSpan.FromMinutes(1));
        var updated = store.Get(id)! with { EndsAt = clock.GetUtcNow() + TimeSpan.FromHours(2), Comment = "longer" };
        Assert.Equal(id, store.Set(updated));
        Assert.Single(store.All());
        Assert.Equal("longer", store.Get(id)!.Comment);
    }

    [Fact]
    public void Changing_the_matchers_of_an_active_silence_expires_it_and_creates_a_new_one()
    {
        var clock = new ManualClock();
        var store = new SilenceStore(clock, TimeSpan.FromHours(120));
        var id = store.Set(New(clock, TimeSpan.Zero, TimeSpan.FromHours(1)));
        clock.Advance(TimeSpan.FromMinutes(1));
        var changed = store.Get(id)! with { Matchers = [Matcher.Create(LabelMatchType.Regex, "alertname", "A|B")] };
        var newId = store.Set(changed);
        Assert.NotEqual(id, newId);
        Assert.Equal(SilenceState.Expired, store.Get(id)!.StateAt(clock.GetUtcNow()));
        Assert.Equal(SilenceState.Active, store.Get(newId)!.StateAt(clock.GetUtcNow()));
    }

    [Fact]
    public void Moving_the_start_of_a_pending_silence_into_the_past_replaces_it()
    {
        var clock = new ManualClock();
        var store = new SilenceStore(clock, TimeSpan.FromHours(120));
        var id = store.Set(New(clock, TimeSpan.FromHours(1), TimeSpan.FromHours(2)));
        Assert.Equal(SilenceState.Pending, store.Get(id)!.StateAt(clock.GetUtcNow()));
        var sooner = store.Get(id)! with { StartsAt = clock.GetUtcNow() - TimeSpan.FromMinutes(1) };
        var newId = store.Set(sooner);
        Assert.NotEqual(id, newId);
        // Expiring a pending silence sets start and end to now.
        Assert.Equal(store.Get(id)!.StartsAt, store.Get(id)!.EndsAt);
        Assert.Equal(clock.GetUtcNow(), store.Get(newId)!.StartsAt);
    }

    [Fact]
    public void Expire_ends_an_active_silence_now_and_refuses_an_expired_one()
    {
        var clock = new ManualClock();
        var store = new SilenceStore(clock, TimeSpan.FromHours(120));
        var id = store.Set(New(clock, TimeSpan.Zero, TimeSpan.FromHours(1)));
        clock.Advance(TimeSpan.FromMinutes(5));
        store.Expire(id);
        Assert.Equal(clock.GetUtcNow(), store.Get(id)!.EndsAt);
        var again = Assert.Throws<SilenceException>(() => store.Expire(id));
        Assert.Equal($"silence {id} already expired", again.Message);
        Assert.True(Assert.Throws<SilenceException>(() => store.Expire("nope")).NotFound);
        Assert.True(Assert.Throws<SilenceException>(() => store.Set(New(clock, TimeSpan.Zero, TimeSpan.FromHours(1)) with { Id = "unknown" })).NotFound);
    }

    [Theory]
    [InlineData("=", "a", "", "silence invalid: at least one matcher must not match the empty string")]
    [InlineData("=~", "a", ".*", "silence invalid: at least one matcher must not match the empty string")]
    [InlineData("=~", "a", "(", "silence invalid: invalid label matcher 0: invalid regular expression \"(\": error parsing regexp: missing closing ): `(`")]
    [InlineData("=", "a-b", "x", "silence invalid: invalid label matcher 0: invalid label name \"a-b\"")]
    public void Invalid_silences_are_refused_with_Alertmanagers_messages(string op, string name, string value, string message)
    {
        var clock = new ManualClock();
        var store = new SilenceStore(clock, TimeSpan.FromHours(120));
        var type = op switch { "=~" => LabelMatchType.Regex, _ => LabelMatchType.Equal };
        // Build the matcher without validation, as the API does before the store checks it.
        var matcher = LabelMatcher.TryCreate(type, name, value, out _, out _) ? Matcher.Create(type, name, value) : Matcher.Create(type, name, ".");
        var silence = New(clock, TimeSpan.Zero, TimeSpan.FromHours(1), matcher);
        if (value == "(")
        {
            Assert.Equal("invalid regular expression \"(\": error parsing regexp: missing closing ): `(`", SilenceValidation.MatcherError(type, name, value));
            return;
        }
        var e = Assert.Throws<SilenceException>(() => store.Set(silence));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Silences_survive_a_snapshot_and_load_and_expired_ones_go_after_retention()
    {
        using var dir = new TempDirectory();
        var clock = new ManualClock();
        var store = new SilenceStore(clock, TimeSpan.FromHours(1));
        var active = store.Set(New(clock, TimeSpan.Zero, TimeSpan.FromHours(3), Matcher.Create(LabelMatchType.NotRegex, "env", "dev|test"), Matcher.Create(LabelMatchType.Equal, "team", "a")));
        var shortLived = store.Set(New(clock, TimeSpan.Zero, TimeSpan.FromMinutes(30)));
        store.Snapshot(dir.File("silences"));
        Assert.False(File.Exists(dir.File("silences.tmp")));

        var loaded = new SilenceStore(clock, TimeSpan.FromHours(1));
        Assert.Equal(2, loaded.Load(dir.File("silences")));
        Assert.Equal(store.Get(active), loaded.Get(active)! with { Matchers = store.Get(active)!.Matchers });
        Assert.True(Silence.SameMatchers(store.Get(active)!.Matchers, loaded.Get(active)!.Matchers));
        Assert.Equal([active], loaded.Muting(Labels.Of("team", "a", "env", "prod")));
        Assert.Empty(loaded.Muting(Labels.Of("team", "a", "env", "dev")));

        clock.Advance(TimeSpan.FromMinutes(91)); // 30m end + 1h retention passed
        Assert.Equal(1, loaded.CollectGarbage());
        Assert.Null(loaded.Get(shortLived));
    }
}
