"""Triage: statuses, scoped rules that keep applying to later scans, accepted-risk expiry,
the audit trail and the finding_changed hook."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from plugins.evolution.models import Finding, FindingEvent, TriageRule
from plugins.evolution.service import ingest_scan
from plugins.evolution.triage import TriageError, TriageRequest, expire_accepted_risks, triage_findings
from zapdesk.extensions import db
from zapdesk.models import AuditEvent, utcnow

from .helpers import alert, finished_scan, new_target


def finding_at(path: str, target=None) -> Finding:
    query = select(Finding).where(Finding.url_template.endswith(path))
    if target is not None:
        query = query.where(Finding.target_id == target.id)
    return db.session.scalars(query).one()


def triage(findings, status, scope="finding", reason="checked by hand", expires=None, url=""):
    changed = triage_findings(findings, TriageRequest(status, scope, reason, expires, "alice@example.com", url))
    db.session.commit()
    return changed


def test_false_positive_stays_after_later_scans(app_ctx):
    target = new_target()
    ingest_scan(finished_scan(target, [alert()], minutes=0).id)
    triage([finding_at(":80/")], "false_positive", reason="the header is set by the CDN")
    ingest_scan(finished_scan(target, [alert(evidence="changed")], minutes=1).id)
    ingest_scan(finished_scan(target, [alert()], minutes=2).id)
    finding = finding_at(":80/")
    assert finding.status == "false_positive" and finding.status_reason == "the header is set by the CDN"


def test_target_rule_applies_to_findings_of_later_scans(app_ctx):
    target, other = new_target(), new_target("http://other.test")
    ingest_scan(finished_scan(target, [alert()], minutes=0).id)
    triage([finding_at(":80/")], "accepted_risk", scope="target", reason="legacy app",
           expires=date.today() + timedelta(days=30))
    ingest_scan(finished_scan(target, [alert(), alert(url="http://target.test/new")], minutes=1).id)
    ingest_scan(finished_scan(other, [alert(url="http://other.test/new")], minutes=1).id)
    assert finding_at("target.test:80/new").status == "accepted_risk"
    assert finding_at("other.test:80/new").status == "open"  # another target: untouched


def test_global_rule_and_precedence_of_specific_rules(app_ctx):
    one, two = new_target("http://one.test"), new_target("http://two.test")
    ingest_scan(finished_scan(one, [alert(url="http://one.test/")]).id)
    keep_open = finding_at("one.test:80/")
    triage([keep_open], "confirmed", reason="")
    triage([keep_open], "false_positive", scope="global", reason="informational only")
    ingest_scan(finished_scan(two, [alert(url="http://two.test/")]).id)
    assert finding_at("two.test:80/").status == "false_positive"
    assert finding_at("one.test:80/").status == "confirmed"  # the finding's own decision wins


def test_occurrence_scope_decides_the_finding_only_when_every_occurrence_is_covered(app_ctx):
    target = new_target()
    ingest_scan(finished_scan(target, [alert(url="http://target.test/i/1"), alert(url="http://target.test/i/2")]).id)
    finding = finding_at("/i/{n}")
    triage([finding], "false_positive", scope="occurrence", url="http://target.test/i/1", reason="test page")
    assert finding_at("/i/{n}").status == "open"
    triage([finding], "false_positive", scope="occurrence", url="http://target.test/i/2", reason="test page")
    assert finding_at("/i/{n}").status == "false_positive"
    ingest_scan(finished_scan(target, [alert(url="http://target.test/i/3")], minutes=5).id)
    assert finding_at("/i/{n}").status == "open"  # a new URL is not covered by those decisions


def test_accepted_risk_expires_back_to_open(app_ctx):
    target = new_target()
    ingest_scan(finished_scan(target, [alert()]).id)
    triage([finding_at(":80/")], "accepted_risk", reason="fix planned", expires=date.today() + timedelta(days=1))
    assert expire_accepted_risks(utcnow()) == 0
    assert expire_accepted_risks(utcnow() + timedelta(days=3)) == 1
    db.session.commit()
    finding = finding_at(":80/")
    assert finding.status == "open" and "expired" in finding.status_reason
    assert db.session.scalars(select(TriageRule)).one().active is False


@pytest.mark.parametrize("request_kwargs, field", [
    ({"status": "nonsense"}, "status"),
    ({"status": "false_positive", "reason": ""}, "reason"),
    ({"status": "accepted_risk", "reason": "x"}, "expires_on"),
    ({"status": "accepted_risk", "reason": "x", "expires_on": date(2000, 1, 1)}, "expires_on"),
    ({"status": "confirmed", "scope": "planet"}, "scope"),
    ({"status": "false_positive", "reason": "x", "scope": "occurrence"}, "url"),
])
def test_bad_triage_is_refused_with_the_field(app_ctx, request_kwargs, field):
    target = new_target()
    ingest_scan(finished_scan(target, [alert()]).id)
    with pytest.raises(TriageError) as caught:
        triage_findings([finding_at(":80/")], TriageRequest(**{"reason": "", **request_kwargs}))
    assert field in caught.value.errors
    db.session.rollback()
    assert finding_at(":80/").status == "open"


def test_changes_are_audited_with_who_from_to_and_why(app_ctx):
    target = new_target()
    ingest_scan(finished_scan(target, [alert()]).id)
    triage([finding_at(":80/")], "false_positive", reason="WAF blocks it")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "finding.status")).one()
    assert event.actor == "alice@example.com"
    assert (event.detail["from_status"], event.detail["to_status"], event.detail["reason"]) == \
        ("open", "false_positive", "WAF blocks it")
    history = db.session.scalars(select(FindingEvent)).one()
    assert (history.actor, history.from_status, history.to_status) == ("alice@example.com", "open", "false_positive")


class Recorder:
    from zapdesk.hookspecs import hookimpl

    def __init__(self):
        self.calls = []

    @hookimpl
    def finding_changed(self, finding, change):
        self.calls.append((finding.id, change["from"], change["to"], change["actor"], change["kind"]))


def test_hook_finding_changed(app_ctx):
    """Fired for triage and for evolution's own changes (fixed, reopened, expired)."""
    pm = app_ctx.extensions["zapdesk_plugins"]
    recorder = Recorder()
    pm.register(recorder, name="finding-changed-recorder")
    try:
        target = new_target()
        ingest_scan(finished_scan(target, [alert(), alert(url="http://target.test/b")], minutes=0).id)
        finding = finding_at(":80/b")
        triage([finding], "confirmed", reason="")
        ingest_scan(finished_scan(target, [alert()], minutes=1).id)  # /b gone: fixed
        ingest_scan(finished_scan(target, [alert(), alert(url="http://target.test/b")], minutes=2).id)  # back
    finally:
        pm.unregister(name="finding-changed-recorder")
    assert recorder.calls == [(finding.id, "open", "confirmed", "alice@example.com", "triage"),
                              (finding.id, "confirmed", "fixed", "system", "evolution"),
                              (finding.id, "fixed", "open", "system", "evolution")]
