"""URL templates and fingerprints (DESIGN.md §6): pure functions, plus the hook override."""
import pytest

from plugins.evolution.fingerprint import coverage_key, digest, finding_key, path_of_template, url_template

from .helpers import alert, finished_scan, new_target


@pytest.mark.parametrize("url, template", [
    ("https://Shop.test/item/42/?b=1&a=2&sessionid=xyz", "https://shop.test:443/item/{n}/?a&b"),
    ("http://x.test", "http://x.test:80/"),
    ("http://x.test:8080/a?", "http://x.test:8080/a"),
    ("http://user:pw@X.test/a/b;jsessionid=ABC/c", "http://x.test:80/a/b/c"),
    ("//bodgeit.svc/x", "http://bodgeit.svc:80/x"),
    ("http://h.test/u/550e8400-e29b-41d4-a716-446655440000/f", "http://h.test:80/u/{uuid}/f"),
    ("http://h.test/blob/0123456789abcdef0123", "http://h.test:80/blob/{hex}"),
    ("http://h.test/p/deadbeef01cafe23", "http://h.test:80/p/{hex}"),
    ("http://h.test/p/abcdefabcdefabcdef", "http://h.test:80/p/abcdefabcdefabcdef"),  # no digit: a word
    ("http://h.test/p/v2/p12", "http://h.test:80/p/v2/p12"),
    ("http://h.test/p?a%20b=1&c+d=2&&=3&PHPSESSID=1&_=99", "http://h.test:80/p?a b&c d"),
    ("http://h.test/p#frag?x=1", "http://h.test:80/p"),
    ("http://[::1]:9/a/7", "http://[::1]:9/a/{n}"),
])
def test_url_template(url, template):
    assert url_template(url) == template


def test_volatile_details_do_not_change_the_key():
    first = alert(url="http://t.test/item/17?b=2&a=1&sessionid=aaa", risk="Low", evidence="x", messageId="5")
    again = alert(url="http://t.test/item/42?a=9&b=3&sessionid=bbb", risk="High", evidence="y", messageId="9",
                  confidence="High")
    assert finding_key(first) == finding_key(again)


@pytest.mark.parametrize("change", [{"param": "other"}, {"method": "POST"}, {"pluginId": "1", "alertRef": "1"},
                                    {"url": "http://t.test/item/17/edit"}, {"url": "https://t.test/item/17"},
                                    {"url": "http://t.test/item/17?c=1"}])
def test_meaningful_differences_change_the_key(change):
    base = alert(url="http://t.test/item/17")
    assert finding_key(base) != finding_key({**base, **change})


def test_alert_ref_distinguishes_variants_of_one_plugin():
    assert finding_key(alert(pluginId="10020", alertRef="10020-1")) != finding_key(alert(pluginId="10020", alertRef="10020-2"))


def test_template_helpers():
    template = "https://shop.test:443/item/{n}?a&b"
    assert path_of_template(template) == "/item/{n}"
    assert coverage_key(template) == "https://shop.test:443/item/{n}"
    assert len(digest("x" * 10000)) == 64
    assert digest("\udc80") == digest("\udc80")  # lone surrogates (invalid UTF-8) still hash


class RuleOnly:
    """A third-party override: one finding per rule and target, whatever the URL."""

    from zapdesk.hookspecs import hookimpl

    @hookimpl
    def alert_fingerprint(self, alert):
        return "rule-only|" + str(alert.get("pluginId"))


def test_hook_alert_fingerprint(app_ctx):
    from plugins.evolution.service import ingest_scan

    pm = app_ctx.extensions["zapdesk_plugins"]
    override = RuleOnly()
    target = new_target()
    alerts = [alert(url=f"http://target.test/page{i}") for i in range(5)] + [alert(pluginId="10021", alertRef="10021")]
    pm.register(override, name="rule-only-test")
    try:
        assert pm.hook.alert_fingerprint(alert=alerts[0]) == "rule-only|10020"
        summary = ingest_scan(finished_scan(target, alerts).id)
    finally:
        pm.unregister(name="rule-only-test")
    assert summary["findings"] == 2 and summary["occurrences"] == 6
    assert pm.hook.alert_fingerprint(alert=alerts[0]) == finding_key(alerts[0])  # the built-in again
