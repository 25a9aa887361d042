"""`zapdesk import-report` and `zapdesk bench ingest` as real subprocesses on the session's
database."""
import json

from sqlalchemy import func, select

from plugins.evolution.models import Finding
from zapdesk.extensions import db
from zapdesk.testing import run_zapdesk

from .helpers import GENERATOR, SAMPLES, generate, truth


def test_import_report_prints_one_json_object(app):
    sample = SAMPLES / "traditional-json/bcgov-pipeline-templates_itsecgames_2.13.0.json"
    first = run_zapdesk("import-report", str(sample), "--target", "http://www.itsecgames.com")
    assert first.returncode == 0, first.stderr
    result = json.loads(first.stdout)
    assert (result["alerts_read"], result["occurrences"], result["new"], result["resolved"]) == (49, 49, result["findings"], 0)
    older = SAMPLES / "traditional-json/bcgov-pipeline-templates_itsecgames_2.11.1.json"
    second = json.loads(run_zapdesk("import-report", str(older), "--target", "http://www.itsecgames.com").stdout)
    assert second["alerts_read"] == 803 and second["scan_id"] != result["scan_id"]


def test_import_report_rejects_bad_files_and_saves_nothing(app, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text("<OWASPZAPReport>\n<site name='http://a.test'>\n<alerts>\n</OWASPZAPReport>")
    done = run_zapdesk("import-report", str(broken), "--target", "http://a.test")
    assert done.returncode == 1 and "line 4" in done.stderr and "nothing was imported" in done.stderr
    missing = run_zapdesk("import-report", str(tmp_path / "nope.json"), "--target", "http://a.test")
    assert missing.returncode == 1 and "cannot read it" in missing.stderr
    sample = SAMPLES / "xml/scb_nginx_D-2020-10-13.xml"
    no_profile = run_zapdesk("import-report", str(sample), "--target", "http://a.test", "--profile", "ghost")
    assert no_profile.returncode == 1 and "no scan profile is named 'ghost'" in no_profile.stderr
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Finding)) == 0


def test_bench_ingest_prints_truth_keys(app, tmp_path):
    files = []
    for k in range(3):
        path = tmp_path / f"scan{k}.{'jsonl' if k == 1 else 'json'}"
        path.write_text(generate("--alerts", "1500", "--scan", str(k), *(["--jsonl"] if k == 1 else [])))
        files.append(str(path))
    done = run_zapdesk("bench", "ingest", *files, "--keys")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["alerts"] for line in lines] == [1500, 1500, 1500]
    for k in (1, 2):
        expected = truth(1500, k)
        assert lines[k]["new_keys"] == expected["new"] and lines[k]["resolved_keys"] == expected["resolved"]
        assert lines[k]["new"] == len(expected["new"]) and lines[k]["peak_rss_mb"] > 0


def test_bench_ingest_into_another_database(app, tmp_path):
    alerts = tmp_path / "a.json"
    alerts.write_text(generate("--alerts", "200"))
    other = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    done = run_zapdesk("bench", "ingest", str(alerts), "--database-url", other)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["alerts"] == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Finding)) == 0  # not the session database
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"pluginId": "1", "url": "http://a.test/"}\nnot json\n')
    refused = run_zapdesk("bench", "ingest", str(bad), "--database-url", other)
    assert refused.returncode == 1 and "line 2: invalid JSON" in refused.stderr
    assert GENERATOR.exists()
