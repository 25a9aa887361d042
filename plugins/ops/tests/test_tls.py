"""The TLS certificate check reads every certificate in CERTS_PATH (the setup wizard's key)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def write_cert(path, days_left: float, name: str = "zapdesk.example") -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=400)).not_valid_after(now + timedelta(days=days_left))
            .sign(key, hashes.SHA256()))
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    path.with_name("privkey.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


@pytest.fixture
def certs(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "CERTS_PATH", str(tmp_path))
    return tmp_path


def tls_check(admin_client) -> dict:
    return admin_client.get("/ops/overview.json").json["checks"]["tls_certificates"]


@pytest.mark.parametrize("days_left,status,words", [
    (200.5, "ok", "expires in 200 days"), (5.5, "warn", "expires in 5 days"),
    (-3.5, "fail", "expired 4 days ago")])
def test_days_to_expiry_with_a_warning_window(admin_client, certs, days_left, status, words):
    write_cert(certs / "fullchain.pem", days_left)
    check = tls_check(admin_client)
    assert check["status"] == status and words in check["detail"]
    assert check["metrics"]["count"] == 1, "the private key file is not counted as a certificate"


def test_the_soonest_certificate_decides(admin_client, certs):
    write_cert(certs / "fullchain.pem", 300, "a.example")
    write_cert(certs / "other.crt", 10.5, "b.example")
    check = tls_check(admin_client)
    assert check["status"] == "warn" and "b.example" in check["detail"]
    assert check["metrics"]["min_days_left"] == 10


def test_no_certs_folder_is_fine_for_the_embedded_run(admin_client, certs):
    certs.rmdir() if not any(certs.iterdir()) else None
    assert tls_check(admin_client)["status"] == "ok"


def test_an_unreadable_certificate_is_a_warning(admin_client, certs):
    (certs / "broken.pem").write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    check = tls_check(admin_client)
    assert check["status"] == "warn" and "broken.pem: unreadable" in check["detail"]
