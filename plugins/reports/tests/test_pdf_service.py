"""`zapdesk pdf-service` as a real subprocess: token auth, rendering, health, and zapdesk
rendering through it when PDF_SERVICE_URL is set."""
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from zapdesk.testing import free_port

from plugins.reports.sample_data import typical_report

TOKEN = "a-long-shared-pdf-service-token"


def wait_healthy(url: str, proc) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        try:
            urllib.request.urlopen(f"{url}/health", timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("pdf service did not start")


@pytest.fixture(scope="module")
def pdf_service(test_env):
    port = free_port()
    env = dict(os.environ, ZAPDESK_PDF_SERVICE_TOKEN=TOKEN)
    proc = subprocess.Popen([sys.executable, "-m", "zapdesk", "pdf-service", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def post(url: str, body: bytes, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return urllib.request.urlopen(urllib.request.Request(f"{url}/render", data=body, headers=headers), timeout=60)


def test_service_needs_the_token(pdf_service):
    url, _ = pdf_service
    for token in (None, "wrong", TOKEN + "x"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            post(url, b"<p>hello</p>", token)
        assert refused.value.code == 401
    assert post(url, b"<p>hello</p>", TOKEN).read().startswith(b"%PDF-")


def test_zapdesk_renders_through_the_service_and_reports_its_health(pdf_service, app, client):
    from pypdf import PdfReader
    import io

    from plugins.reports.formats import get_format

    url, _ = pdf_service
    app.config.update(PDF_SERVICE_URL=url, PDF_SERVICE_TOKEN=TOKEN)
    try:
        with app.app_context():
            pdf = get_format("pdf").render(typical_report())
        assert "Cross Site Scripting (Reflected)" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert client.get("/health").json["checks"]["pdf-service"]["status"] == "ok"
        app.config["PDF_SERVICE_TOKEN"] = "not-the-token"
        with app.app_context(), pytest.raises(Exception, match="pdf service answered 401.*PDF_SERVICE_TOKEN"):
            get_format("pdf").render(typical_report())
    finally:
        app.config.update(PDF_SERVICE_URL="", PDF_SERVICE_TOKEN="")


def test_the_token_never_reaches_the_output(pdf_service):
    url, proc = pdf_service
    with pytest.raises(urllib.error.HTTPError):
        post(url, b"<p>x</p>", TOKEN + "-wrong")
    proc.terminate()
    output = proc.stdout.read() + proc.stderr.read()
    assert "listening on" in output and TOKEN not in output


def test_health_fails_when_the_configured_service_is_down(app, client):
    app.config["PDF_SERVICE_URL"] = f"http://127.0.0.1:{free_port()}"
    try:
        check = client.get("/health").json["checks"]["pdf-service"]
    finally:
        app.config["PDF_SERVICE_URL"] = ""
    assert check["status"] == "fail" and "unreachable" in check["detail"]
    assert "pdf-service" not in client.get("/health").json["checks"]


def test_service_refuses_to_start_without_a_token(app):
    from plugins.reports.cli import pdf_service_command

    app.config["PDF_SERVICE_TOKEN"] = "short"
    try:
        done = app.test_cli_runner().invoke(pdf_service_command, ["--port", str(free_port())])
    finally:
        app.config["PDF_SERVICE_TOKEN"] = ""
    assert done.exit_code == 2 and "set ZAPDESK_PDF_SERVICE_TOKEN" in done.output
