"""Evolution: findings from 100,000 alerts, and the /findings page with 100,000 findings.

1. ingest: the shared generator's `--alerts 100000` scan 0 then scan 1, through
   `zapdesk bench ingest` (a subprocess, so its peak RSS is its own): ingestion + triage +
   risk + comparison per scan ("seconds"), on SQLite and on PostgreSQL. Target: under 8 s
   each and under 400 MB peak RSS.
2. findings_page: a fresh database holding 100,000 findings (generator `--pages 10000`),
   served by `zapdesk serve` (waitress) on 127.0.0.1; 20 concurrent logged-in clients
   request /findings with a mix of filters, sorts and pages; p50/p95 latency.

PostgreSQL: ZAPDESK_BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/zd_bench;
the database is created if missing, and a `<name>_findings` database is recreated for part 2).
BENCH_ALERTS overrides the alert count (default 100000).

  python -m bench.run evolution
"""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = Path(os.environ.get("ZAPDESK_ALERT_GENERATOR") or ROOT.parent / "shared" / "bench" / "zap_alerts.py")
ALERTS = int(os.environ.get("BENCH_ALERTS", "100000"))
PG_URL = os.environ.get("ZAPDESK_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/zd_bench")
CLIENTS, REQUESTS_PER_CLIENT = 20, 15
PASSWORD = "bench-password-long-enough"
PAGES = ["/findings", "/findings?page=40", "/findings?risk=High", "/findings?sort=newest",
         "/findings?status=all&sort=last_seen", "/findings?risk=Medium&sort=name", "/findings?rule=10020",
         "/findings?page=150&sort=newest", "/findings?status=open&risk=Low&page=3"]


def generate(path: Path, *args: str) -> Path:
    with open(path, "w") as out:
        subprocess.run([sys.executable, str(GENERATOR), *args], stdout=out, check=True)
    return path


def environment(instance: Path, database_url: str | None = None) -> dict:
    env = dict(os.environ, ZAPDESK_INSTANCE_PATH=str(instance), ZAPDESK_SETUP_REQUIRED="false",
               ZAPDESK_LOG_LEVEL="WARNING")
    env.pop("ZAPDESK_REDIS_URL", None)
    if database_url:
        env["ZAPDESK_DATABASE_URL"] = database_url
    return env


def zapdesk(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zapdesk", *args], env=env, capture_output=True, text=True,
                          check=False, **kwargs)


def bench_ingest(env: dict, database_url: str, files: list[Path]) -> list[dict]:
    done = zapdesk(env, "bench", "ingest", *map(str, files), "--database-url", database_url)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "bench ingest failed")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def ensure_postgres_database(url: str, recreate: bool = False) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}).first()
        if exists and recreate:
            conn.execute(text(f'DROP DATABASE "{target.database}" WITH (FORCE)'))
            exists = None
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    engine.dispose()


def findings_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_findings").render_as_string(hide_password=False)


def ingest_figures(backend: str, lines: list[dict]) -> list[dict]:
    keep = ("scan", "alerts", "seconds", "store_seconds", "peak_rss_mb", "findings", "new", "resolved", "timings")
    return [{"figure": "ingest", "backend": backend, **{k: line.get(k) for k in keep}} for line in lines]


class Client:
    """One logged-in browser-like client (its own cookie jar and CSRF token)."""

    def __init__(self, base: str, email: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        login_page = self.get("/login")[1]
        token = re.search(r'name="csrf-token" content="([^"]+)"', login_page).group(1)
        body = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": token}).encode()
        self.opener.open(urllib.request.Request(base + "/login", data=body), timeout=60).read()

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=120) as response:
            return response.status, response.read().decode()


def wait_for(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/health", timeout=5).read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("zapdesk serve did not answer on /health within a minute")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure_clients(base: str, email: str) -> dict:
    latencies, errors, lock = [], [], threading.Lock()

    def client_loop(index: int) -> None:
        try:
            client = Client(base, email)
        except Exception as exc:  # noqa: BLE001  (counted, reported)
            with lock:
                errors.append(f"login: {exc}")
            return
        for n in range(REQUESTS_PER_CLIENT):
            path = PAGES[(index + n) % len(PAGES)]
            started = time.perf_counter()
            try:
                status, body = client.get(path)
                ok = status == 200 and "finding" in body
            except Exception as exc:  # noqa: BLE001
                ok, body = False, str(exc)
            with lock:
                latencies.append(time.perf_counter() - started)
                if not ok:
                    errors.append(path)

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"requests": len(ordered), "errors": len(errors), "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 1), "max_ms": round(ordered[-1] * 1000, 1),
            "requests_per_s": round(len(ordered) / wall, 1)}


def findings_page(backend: str, database_url: str, wide: Path, work: Path) -> dict:
    instance = work / f"serve-{backend}"
    instance.mkdir()
    env = environment(instance, database_url)
    lines = bench_ingest(env, database_url, [wide])
    email = "bench-viewer@example.com"
    created = zapdesk(env, "user", "create", "--email", email, "--role", "viewer", input=PASSWORD + "\n" + PASSWORD + "\n")
    if created.returncode != 0:
        raise RuntimeError(f"cannot create the bench user: {created.stderr.strip()[-200:]}")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "zapdesk", "serve", "--host", "127.0.0.1", "--port", str(port),
                               "--threads", "8"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base)
        Client(base, email).get("/findings")  # warm up: first request loads templates
        figures = measure_clients(base, email)
    finally:
        server.terminate()
        server.wait(timeout=30)
        stop_embedded_redis(instance)
    return {"figure": "findings_page", "backend": backend, "findings": lines[0]["findings"], "clients": CLIENTS,
            **figures}


def stop_embedded_redis(instance: Path) -> None:
    """`zapdesk serve` started the embedded Redis of its instance; it outlives the server."""
    from zapdesk import embedded_redis

    embedded_redis.stop(instance)


def postgres_available() -> str | None:
    try:
        ensure_postgres_database(PG_URL)
    except Exception as exc:  # noqa: BLE001  (reported as a figure, never a crash of the whole bench)
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    return None


def run() -> list[dict]:
    work = Path(tempfile.mkdtemp(prefix="zapdesk-bench-evolution-"))
    figures: list[dict] = []
    try:
        scans = [generate(work / f"scan{k}.json", "--alerts", str(ALERTS), "--scan", str(k)) for k in (0, 1)]
        wide = generate(work / "wide.json", "--alerts", str(ALERTS), "--pages", str(ALERTS // 10), "--site", "2")
        sqlite_url = f"sqlite:///{work / 'ingest.sqlite3'}"
        (work / "instance").mkdir()
        env = environment(work / "instance")
        figures += ingest_figures("sqlite", bench_ingest(env, sqlite_url, scans))
        problem = postgres_available()
        if problem is None:
            figures += ingest_figures("postgresql", bench_ingest(env, PG_URL, scans))
        else:
            figures.append({"figure": "ingest", "backend": "postgresql", "skipped": problem})
        figures.append(findings_page("sqlite", f"sqlite:///{work / 'findings.sqlite3'}", wide, work))
        if problem is None:
            ensure_postgres_database(findings_url(PG_URL), recreate=True)
            figures.append(findings_page("postgresql", findings_url(PG_URL), wide, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return figures
