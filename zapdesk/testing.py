"""pytest fixtures for zapdesk and its plugins (`pytest_plugins = ["zapdesk.testing"]`).

The suite runs against whatever the environment names, so the same tests cover both ways
to run zapdesk:
- ZAPDESK_TEST_DATABASE_URL: a PostgreSQL URL, or unset for a fresh SQLite file;
- ZAPDESK_TEST_REDIS_URL: a Redis URL, or unset for the embedded Redis.
The test session exports the resulting ZAPDESK_* variables, so subprocesses it starts
(RQ workers, `zapdesk` CLI calls) talk to the very same database and Redis.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from . import create_app, embedded_redis
from .extensions import db
from .models import User

TEST_PASSWORD = "test-password-long-enough"
CHROMIUM = os.environ.get("ZAPDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage"]


def shared_path(*parts: str) -> Path:
    """A file under the project's `shared/` folder (genuine ZAP samples, the alert
    generator), which sits beside the work tree (ZAPDESK_SHARED_DIR overrides). Missing
    test data is a failure with a reason, never a skip."""
    base = Path(os.environ.get("ZAPDESK_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared")
    path = base.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"{path} is missing: shared/ must sit beside the work tree "
                    "(or set ZAPDESK_SHARED_DIR)", pytrace=False)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reset_database(url: str) -> None:
    """Start each test session from an empty database."""
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine

        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()


@pytest.fixture(scope="session")
def instance_path():
    path = Path(tempfile.mkdtemp(prefix="zapdesk-test-"))
    yield path
    if not os.environ.get("ZAPDESK_TEST_REDIS_URL"):
        embedded_redis.stop(path)
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def test_env(instance_path):
    """Export the ZAPDESK_* variables for this session (and its subprocesses)."""
    database_url = os.environ.get("ZAPDESK_TEST_DATABASE_URL") or f"sqlite:///{instance_path / 'test.sqlite3'}"
    redis_url = os.environ.get("ZAPDESK_TEST_REDIS_URL") or embedded_redis.ensure_started(instance_path)
    env = {
        "ZAPDESK_INSTANCE_PATH": str(instance_path),
        "ZAPDESK_DATABASE_URL": database_url,
        "ZAPDESK_REDIS_URL": redis_url,
        "ZAPDESK_SETUP_REQUIRED": "false",
        "ZAPDESK_WTF_CSRF_ENABLED": "true",
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    reset_database(database_url)
    yield env
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def app(test_env):
    import flask_migrate

    application = create_app({"TESTING": True})
    with application.app_context():
        flask_migrate.upgrade(revision="heads")
    return application


def table_names_in_delete_order() -> list[str]:
    return [t.name for t in reversed(db.metadata.sorted_tables)]


def wipe(application) -> None:
    """Empty every table and the Redis database between tests."""
    with application.app_context():
        db.session.remove()
        names = table_names_in_delete_order()
        if db.engine.dialect.name == "postgresql":
            quoted = ", ".join(f'"{n}"' for n in names)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            with db.engine.begin() as conn:
                for name in names:
                    conn.execute(text(f'DELETE FROM "{name}"'))
        from .jobs import get_redis

        get_redis(application).flushdb()
        application.extensions.pop("zapdesk_setup_complete", None)


@pytest.fixture(autouse=True)
def _clean_state(request):
    yield
    if "app" in request.fixturenames:
        wipe(request.getfixturevalue("app"))


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    def _make(role: str = "viewer", email: str | None = None, password: str = TEST_PASSWORD) -> User:
        with app.app_context():
            user = User(email=email or f"{role}-{time.monotonic_ns()}@example.com", role=role, active=True)
            user.set_password(password)
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return _make


def csrf_token_from(client, path: str = "/login") -> str:
    import re

    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, email: str, password: str = TEST_PASSWORD):
    token = csrf_token_from(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


class AuthedClient:
    """A test client logged in as a user, adding the CSRF header to every request."""

    def __init__(self, client, user):
        self.client, self.user = client, user
        login(client, user.email)
        self.token = csrf_token_from(client, "/account/password")

    def __getattr__(self, name):
        method = getattr(self.client, name)
        if name not in {"post", "put", "patch", "delete"}:
            return method

        def with_csrf(*args, **kwargs):
            headers = dict(kwargs.pop("headers", {}) or {})
            headers.setdefault("X-CSRFToken", self.token)
            return method(*args, headers=headers, **kwargs)

        return with_csrf


@pytest.fixture
def login_as(app, make_user):
    def _login(role: str = "admin", **kwargs) -> AuthedClient:
        return AuthedClient(app.test_client(), make_user(role, **kwargs))

    return _login


@pytest.fixture
def admin_client(login_as):
    return login_as("admin")


# --- live server, browser, workers -------------------------------------------------------

@pytest.fixture(scope="session")
def live_server(app):
    """waitress serving the session app on a free loopback port, in a thread."""
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=free_port(), threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


def browser_login(page, email: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard")


def stop_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM, then SIGKILL if it has not exited within `timeout` seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def start_zapdesk(*args: str, **popen_kwargs) -> subprocess.Popen:
    """A `zapdesk` subprocess on the session's database and Redis."""
    return subprocess.Popen([sys.executable, "-m", "zapdesk", *args], env=dict(os.environ),
                            **popen_kwargs)


def run_zapdesk(*args: str, input: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zapdesk", *args], env=dict(os.environ),
                          input=input, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def worker_process(app):
    """A real RQ worker in a subprocess (stopped with SIGTERM, then SIGKILL)."""
    procs: list[subprocess.Popen] = []

    def _start(*extra: str) -> subprocess.Popen:
        proc = start_zapdesk("worker", *extra, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        procs.append(proc)
        return proc

    yield _start
    for proc in procs:
        stop_process(proc)
