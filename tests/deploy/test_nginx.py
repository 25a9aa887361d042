"""The real nginx (Debian's) started by nginx/entrypoint.sh with the site rendered from
nginx/zapdesk.conf.template, on loopback high ports, in front of a live zapdesk (the
session's waitress server). A test-only main config keeps pid, logs and temp files in tmp."""
import hashlib
import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from zapdesk.setup import tls
from zapdesk.testing import free_port

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
NGINX = "/usr/sbin/nginx"
MAIN_CONF = """
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/zapdesk.conf;
}}
"""


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"nginx exited: {proc.stderr.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


class Nginx:
    def __init__(self, tmp: Path, upstream: str):
        self.tmp, self.http_port, self.https_port = tmp, free_port(), free_port()
        self.certs, self.state = tmp / "certs", tmp / "state"
        self.env = {**os.environ, "CERTS_DIR": str(self.certs), "STATE_DIR": str(self.state),
                    "UPSTREAM": upstream, "LISTEN_HTTP": f"127.0.0.1:{self.http_port}",
                    "LISTEN_HTTPS": f"127.0.0.1:{self.https_port}",
                    "PUBLIC_HTTPS_PORT": str(self.https_port),
                    "TEMPLATE": str(REPO / "nginx/zapdesk.conf.template"),
                    "PROXY_PARAMS": str(REPO / "nginx/proxy_params.conf"),
                    "OUTPUT": str(tmp / "zapdesk.conf"), "CERT_WATCH_SECONDS": "0.2"}
        user = "user root;" if os.geteuid() == 0 else ""  # workers must read the tmp folders
        (tmp / "nginx.conf").write_text(MAIN_CONF.format(tmp=tmp, user=user))

    def start(self):
        self.proc = subprocess.Popen(
            ["sh", str(REPO / "nginx/entrypoint.sh"), NGINX, "-p", str(self.tmp), "-c",
             str(self.tmp / "nginx.conf"), "-g", "daemon off;"],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_for_port(self.http_port, self.proc)
        wait_for_port(self.https_port, self.proc)
        return self

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)

    def http(self, path: str, **headers):
        conn = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=10)
        conn.request("GET", path, headers=headers)
        return conn.getresponse()

    def https(self, path: str, cafile: Path | None = None):
        context = ssl.create_default_context(cafile=str(cafile or self.certs / "fullchain.pem"))
        conn = http.client.HTTPSConnection("127.0.0.1", self.https_port, timeout=10, context=context)
        conn.request("GET", path)
        return conn.getresponse()

    def served_cert_sha256(self) -> str:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        with socket.create_connection(("127.0.0.1", self.https_port), 5) as raw:
            with context.wrap_socket(raw, server_hostname="localhost") as conn:
                return hashlib.sha256(conn.getpeercert(binary_form=True)).hexdigest()


@pytest.fixture
def nginx(tmp_path, live_server):
    server = Nginx(tmp_path, live_server.removeprefix("http://"))
    yield server
    if getattr(server, "proc", None) is not None and server.proc.poll() is None:
        server.stop()


def pem_sha256(path: Path) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    cert = x509.load_pem_x509_certificate(path.read_bytes())
    return hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()


def test_entrypoint_makes_a_temporary_pair_when_certs_are_missing(nginx):
    nginx.start()
    info = tls.validate_pair((nginx.certs / "fullchain.pem").read_bytes(),
                             (nginx.certs / "privkey.pem").read_bytes(), "localhost")
    assert info.temporary and set(info.names) >= {"localhost", "127.0.0.1"}
    assert (nginx.certs / "privkey.pem").stat().st_mode & 0o077 == 0
    assert nginx.served_cert_sha256() == pem_sha256(nginx.certs / "fullchain.pem")


def test_before_setup_http_proxies_to_zapdesk(nginx):
    nginx.start()
    response = nginx.http("/api/version")
    assert response.status == 200 and json.loads(response.read())["name"] == "zapdesk"
    login = nginx.http("/login")
    assert login.status == 200 and b"Log in" in login.read()


def test_https_handshake_and_proxy_with_the_generated_certificate(nginx):
    nginx.start()
    response = nginx.https("/api/version")
    assert response.status == 200 and json.loads(response.read())["name"] == "zapdesk"
    assert nginx.https("/health").status in (200, 503)


def test_after_setup_http_redirects_to_https_without_a_reload(nginx):
    nginx.start()
    assert nginx.http("/dashboard?x=1").status in (200, 302)
    nginx.state.mkdir(exist_ok=True)
    (nginx.state / "setup_complete").write_text("setup complete\n")
    response = nginx.http("/dashboard?x=1", Host="scan.example.test")
    assert response.status == 301
    assert response.getheader("Location") == f"https://scan.example.test:{nginx.https_port}/dashboard?x=1"
    assert nginx.http("/nginx-health").status == 200
    assert nginx.https("/api/version").status == 200


def test_provided_certificates_are_kept_and_replacements_are_picked_up(nginx):
    cert, key = tls.generate_self_signed(["localhost", "127.0.0.1"])
    tls.write_pair(nginx.certs, cert, key)
    nginx.start()
    assert (nginx.certs / "fullchain.pem").read_bytes() == cert
    assert nginx.https("/api/version").status == 200
    new_cert, new_key = tls.generate_self_signed(["localhost", "127.0.0.1"])
    tls.write_pair(nginx.certs, new_cert, new_key)  # what the setup wizard does
    expected = pem_sha256(nginx.certs / "fullchain.pem")
    deadline = time.monotonic() + 15
    # A graceful reload lets old workers finish: wait until every new connection gets the
    # new pair (several in a row), then the client trusting only the new pair gets through.
    in_a_row = 0
    while in_a_row < 5:
        assert time.monotonic() < deadline, "nginx never reloaded the new pair"
        in_a_row = in_a_row + 1 if nginx.served_cert_sha256() == expected else 0
        time.sleep(0.1)
    while True:
        try:
            assert nginx.https("/api/version").status == 200
            break
        except ssl.SSLCertVerificationError:  # an old worker still draining
            assert time.monotonic() < deadline, "nginx kept serving the old pair"
            time.sleep(0.2)


def test_entrypoint_without_openssl_and_without_certs_says_what_to_do(tmp_path):
    bare = tmp_path / "bin"
    bare.mkdir()
    for tool in ("sh", "mkdir", "sed", "cat", "cksum", "chmod", "mv", "tr", "sleep"):
        (bare / tool).symlink_to(shutil.which(tool))
    env = {"PATH": str(bare), "CERTS_DIR": str(tmp_path / "certs"), "STATE_DIR": str(tmp_path / "state"),
           "TEMPLATE": str(REPO / "nginx/zapdesk.conf.template"), "OUTPUT": str(tmp_path / "out.conf")}
    result = subprocess.run([str(bare / "sh"), str(REPO / "nginx/entrypoint.sh"), "true"], env=env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "openssl is missing" in result.stderr and "put fullchain.pem and privkey.pem in" in result.stderr
