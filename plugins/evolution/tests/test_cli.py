"""`zapdesk import-report` and `zapdesk bench ingest` as real subprocesses on the session's
database."""
import json

from sqlalchemy import func, select

from plugins.evolution.cli import bench_ingest_command, import_report_command
from plugins.evolution.models import Finding
from zapdesk.extensions import db
from zapdesk.testing import run_zapdesk

from .helpers import SAMPLES, generate, truth


def test_import_report_prints_one_json_object(app):
    """A real `zapdesk` subprocess; the refusals below run in-process (same command)."""
    sample = SAMPLES / "traditional-json/bcgov-pipeline-templates_itsecgames_2.13.0.json"
    done = run_zapdesk("import-report", str(sample), "--target", "http://www.itsecgames.com")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["alerts_read"], result["occurrences"], result["new"], result["resolved"]) == (49, 49, result["findings"], 0)


def test_import_report_rejects_bad_files_and_saves_nothing(app, tmp_path):
    runner = app.test_cli_runner()
    broken = tmp_path / "broken.xml"
    broken.write_text("<OWASPZAPReport>\n<site name='http://a.test'>\n<alerts>\n</OWASPZAPReport>")
    sample = SAMPLES / "xml/scb_nginx_D-2020-10-13.xml"
    for args, words in ([str(broken), "--target", "http://a.test"], "line 4"), \
                       ([str(tmp_path / "nope.json"), "--target", "http://a.test"], "cannot read it"), \
                       ([str(sample), "--target", "http://a.test", "--profile", "ghost"], "no scan profile is named 'ghost'"):
        done = runner.invoke(import_report_command, args)
        assert done.exit_code == 1 and words in done.output, done.output
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
    runner = app.test_cli_runner()
    done = runner.invoke(bench_ingest_command, [str(alerts), "--database-url", other])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output.splitlines()[-1])["alerts"] == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Finding)) == 0  # not the session database
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"pluginId": "1", "url": "http://a.test/"}\nnot json\n')
    refused = runner.invoke(bench_ingest_command, [str(bad), "--database-url", other])
    assert refused.exit_code == 1 and "line 2: invalid JSON" in refused.output
