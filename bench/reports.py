"""Report rendering: PDF and HTML of a scan with 5,000 occurrences over 40 rules.

Each figure is measured in a fresh child process, so `peak_rss_mb` is that render's own
peak (ru_maxrss of the child) and nothing is shared between runs. Two sources:
- "memory": the ReportData built in memory (the renderers alone);
- "database": a real scan in a throw-away SQLite instance, created through the scans
  service and ingested by evolution; timed from building ReportData (evolution's
  scan_findings) to the rendered bytes.
Targets (issue 6): PDF under 10 s and 500 MB.

  python -m bench.run reports
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time

OCCURRENCES, RULES = 5000, 40


def render(fmt: str, data) -> bytes:
    from plugins.reports.formats import BUILTIN

    return next(f for f in BUILTIN if f.name == fmt).render(data)


def timed(produce) -> dict:
    """Wall and CPU seconds (CPU time is the steadier figure on a busy machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    content = produce()
    return {"seconds": round(time.perf_counter() - wall, 2), "cpu_seconds": round(time.process_time() - cpu, 2),
            "bytes": len(content)}


def measure_memory(fmt: str) -> dict:
    from plugins.reports.sample_data import large_report

    data = large_report(OCCURRENCES, RULES)
    return timed(lambda: render(fmt, data))


def database_alerts() -> list[dict]:
    alerts = []
    for n in range(OCCURRENCES):
        rule = n % RULES
        alerts.append({"pluginId": str(10000 + rule), "alertRef": str(10000 + rule), "name": f"Rule number {rule}",
                       "alert": f"Rule number {rule}", "risk": ("High", "Medium", "Low", "Informational")[rule % 4],
                       "confidence": "Medium", "cweid": str(200 + rule), "wascid": "13",
                       "description": "A description paragraph. " * 20, "solution": "Fix it.",
                       "reference": "https://example.test/ref", "url": f"http://bench.test/r{rule}/page{n}",
                       "method": "GET", "param": f"p{n % 7}", "attack": "", "evidence": f"evidence {n}",
                       "other": "other info", "messageId": str(n), "sourceid": "3"})
    return alerts


def measure_database(fmt: str) -> dict:
    import flask_migrate

    os.environ.update(ZAPDESK_INSTANCE_PATH=tempfile.mkdtemp(prefix="zapdesk-bench-reports-"),
                      ZAPDESK_SETUP_REQUIRED="false")
    for name in ("ZAPDESK_DATABASE_URL", "ZAPDESK_REDIS_URL", "ZAPDESK_PDF_SERVICE_URL"):
        os.environ.pop(name, None)
    from zapdesk import create_app
    from zapdesk.extensions import db

    app = create_app()
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
        from plugins.evolution.service import ingest_scan
        from plugins.profiles.service import get_or_create_target
        from plugins.reports.build import build_report_data
        from plugins.scans.service import create_finished_scan

        target = get_or_create_target("http://bench.test")
        scan = create_finished_scan(target.id, database_alerts(), urls=None, source="bench")
        db.session.commit()
        ingest_scan(scan.id)
        return timed(lambda: render(fmt, build_report_data(scan.id)))


def child(source: str, fmt: str) -> None:
    figures = (measure_memory if source == "memory" else measure_database)(fmt)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(figures))


def run() -> list[dict]:
    results = []
    for source in ("memory", "database"):
        for fmt in ("pdf", "html"):
            done = subprocess.run([sys.executable, "-m", "bench.reports", source, fmt], capture_output=True,
                                  text=True, timeout=600)
            head = {"report": fmt, "source": source, "occurrences": OCCURRENCES, "rules": RULES}
            if done.returncode != 0:  # one failing source must not hide the other's figures
                results.append({**head, "error": (done.stderr.strip().splitlines() or ["?"])[-1]})
                continue
            results.append({**head, **json.loads(done.stdout.strip().splitlines()[-1])})
    return results


if __name__ == "__main__":
    child(sys.argv[1], sys.argv[2])
