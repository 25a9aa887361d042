"""Comparisons: exact new/resolved sets against the generator's ground truth, the coverage
rule ("not re-tested"), regressions, fixed/reopened statuses and on-demand comparisons."""
import pytest
from sqlalchemy import select

from plugins.evolution.bench_ingest import truth_keys
from plugins.evolution.models import Finding
from plugins.evolution.on_demand import CompareError, compare_on_demand
from plugins.evolution.service import ingest_scan, scan_comparison, target_evolution
from zapdesk.extensions import db

from .helpers import alert, finished_scan, generated_alerts, new_target, truth


def precision_recall(reported: set, true: set) -> tuple[float, float]:
    hits = len(reported & true)
    return (hits / len(reported) if reported else 1.0), (hits / len(true) if true else 1.0)


@pytest.mark.parametrize("site, scans", [(1, 4), (7, 3)])  # k = 1..3 and 1..2
def test_comparisons_match_the_ground_truth(app_ctx, site, scans):
    """Scan k vs k+1 of the generator: precision and recall of new and resolved are 1.0."""
    target = new_target(f"http://site{site}.test")
    alerts = 1500
    for k in range(scans):
        scan = finished_scan(target, generated_alerts(alerts, k, site, host=f"http://site{site}.test"), minutes=k)
        summary = ingest_scan(scan.id)
        expected = truth(alerts, k, site)
        assert summary["findings"] == expected["present"]  # every present vulnerability was emitted
        if k == 0:
            continue
        new = set(truth_keys(summary["comparison_id"], ("new", "regressed")))
        resolved = set(truth_keys(summary["comparison_id"], ("resolved", "not_retested")))
        assert precision_recall(new, set(expected["new"])) == (1.0, 1.0)
        assert precision_recall(resolved, set(expected["resolved"])) == (1.0, 1.0)
        assert expected["new"] and expected["resolved"]  # the test compares something


def test_regressed_and_reopened(app_ctx):
    target = new_target()
    a, b = alert(), alert(url="http://target.test/b")
    ingest_scan(finished_scan(target, [a, b], minutes=0).id)
    second = ingest_scan(finished_scan(target, [b], minutes=1).id)
    finding_a = db.session.scalar(select(Finding).where(Finding.url_template == "http://target.test:80/"))
    assert second["resolved"] == 1 and second["fixed"] == 1 and finding_a.status == "fixed"
    third = ingest_scan(finished_scan(target, [a, b], minutes=2).id)
    db.session.refresh(finding_a)
    assert (third["new"], third["regressed"], third["reopened"], finding_a.status) == (0, 1, 1, "open")


def test_absence_without_coverage_is_resolved_with_coverage_only_if_covered(app_ctx):
    target = new_target()
    a, b = alert(url="http://target.test/a/1"), alert(url="http://target.test/b")
    ingest_scan(finished_scan(target, [a, b], minutes=0).id)
    # The newer scan requested /a/7 (same template as /a/1) but never /b.
    summary = ingest_scan(finished_scan(target, [], urls=["http://target.test/a/7", "http://target.test/c"],
                                        minutes=1).id)
    assert (summary["resolved"], summary["not_retested"]) == (1, 1)
    statuses = dict(db.session.execute(select(Finding.url_template, Finding.status)).all())
    assert statuses == {"http://target.test:80/a/{n}": "fixed", "http://target.test:80/b": "open"}
    view = scan_comparison(summary["scan_id"])
    assert view.coverage == "urls" and [c.url_template for c in view.not_retested] == ["http://target.test:80/b"]


def test_scan_comparison_and_evolution_points(app_ctx):
    target = new_target()
    first = finished_scan(target, [alert(risk="High"), alert(url="http://target.test/x", risk="Low")], minutes=0)
    second = finished_scan(target, [alert(risk="High"), alert(url="http://target.test/y", risk="Medium")], minutes=1)
    ingest_scan(first.id)
    ingest_scan(second.id)
    view = scan_comparison(second.id)
    assert view.from_scan_id == first.id and view.counts["new"] == 1 and view.counts["resolved"] == 1
    assert [c.url_template for c in view.persisting] == ["http://target.test:80/"]
    assert view.risk_delta == view.risk_after - view.risk_before == 3.0  # Medium (4) replaced Low (1)
    points = target_evolution(target.id)
    assert [p.scan_id for p in points] == [first.id, second.id]
    assert points[1].counts["Medium"] == 1 and points[1].new == 1 and points[1].resolved == 1


def test_previous_scan_is_ingested_first_when_missing(app_ctx):
    target = new_target()
    first = finished_scan(target, [alert()], minutes=0)
    second = finished_scan(target, [alert(), alert(url="http://target.test/new")], minutes=1)
    summary = ingest_scan(second.id)  # the listener ran out of order
    assert summary["previous_scan_id"] == first.id and summary["new"] == 1


def test_compare_any_two_scans_on_demand(app_ctx):
    target = new_target()
    scans = [finished_scan(target, alerts, minutes=i) for i, alerts in
             enumerate([[alert()], [alert(), alert(url="http://target.test/2")], [alert(url="http://target.test/3")]])]
    for scan in scans:
        ingest_scan(scan.id)
    comparison = compare_on_demand(scans[2].id, scans[0].id, actor="someone@example.com")  # order is fixed for us
    assert (comparison.from_scan_id, comparison.to_scan_id, comparison.on_demand) == (scans[0].id, scans[2].id, True)
    assert (comparison.new_count, comparison.resolved_count, comparison.persisting_count) == (1, 1, 0)
    other = new_target("http://other.test")
    foreign = finished_scan(other, [alert()])
    with pytest.raises(CompareError, match="same target"):
        compare_on_demand(scans[0].id, foreign.id)
    with pytest.raises(CompareError, match="no findings yet"):
        compare_on_demand(scans[0].id, finished_scan(target, [alert()], minutes=9).id)
