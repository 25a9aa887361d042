"""TLS material for nginx: generate a self-signed pair, validate a provided one, write
both into the certs folder (fullchain.pem + privkey.pem, the names nginx loads)."""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CERT_FILE = "fullchain.pem"
KEY_FILE = "privkey.pem"
SELF_SIGNED_DAYS = 825
# The nginx entrypoint's stop-gap pair carries this common name, so it can be told apart.
TEMPORARY_CN = "zapdesk-temporary"


class TLSValidationError(ValueError):
    """The pair cannot be used; `problems` are sentences a person can act on."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class CertInfo:
    subject: str
    names: tuple[str, ...]
    not_after: datetime
    self_signed: bool
    temporary: bool

    def days_left(self, now: datetime | None = None) -> int:
        return (self.not_after - (now or datetime.now(timezone.utc))).days


def default_hosts(external_host: str = "") -> list[str]:
    hosts = ["localhost", "127.0.0.1"]
    if external_host and external_host not in hosts:
        hosts.append(external_host)
    return hosts


def _san_entry(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def generate_self_signed(hosts: list[str], days: int = SELF_SIGNED_DAYS,
                         common_name: str | None = None) -> tuple[bytes, bytes]:
    """A new EC P-256 key and a certificate for `hosts` (SANs), as PEM bytes."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name or hosts[-1]),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "zapdesk self-signed")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=days))
            .add_extension(x509.SubjectAlternativeName([_san_entry(h) for h in hosts]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def _load_chain(cert_pem: bytes) -> list[x509.Certificate]:
    try:
        chain = x509.load_pem_x509_certificates(cert_pem)
    except ValueError:
        chain = []
    if not chain:
        raise TLSValidationError(["The certificate is not a PEM certificate chain "
                                  "(expected '-----BEGIN CERTIFICATE-----' blocks)."])
    return chain


def _load_key(key_pem: bytes):
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError):
        raise TLSValidationError(["The private key is not an unencrypted PEM private key "
                                  "(a passphrase-protected key cannot be loaded by nginx)."]) from None
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise TLSValidationError(["Use an RSA or ECDSA private key."])
    return key


def _names(cert: x509.Certificate) -> tuple[str, ...]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return ()
    return tuple([str(n) for n in san.get_values_for_type(x509.DNSName)]
                 + [str(ip) for ip in san.get_values_for_type(x509.IPAddress)])


def covers(names: tuple[str, ...], host: str) -> bool:
    host = host.lower().rstrip(".")
    for name in (n.lower() for n in names):
        if name == host:
            return True
        if name.startswith("*.") and host.count(".") == name.count(".") and host.endswith(name[1:]):
            return True
    return False


def describe(cert: x509.Certificate) -> CertInfo:
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    subject = cn[0].value if cn else cert.subject.rfc4514_string()
    return CertInfo(subject=str(subject), names=_names(cert), not_after=cert.not_valid_after_utc,
                    self_signed=cert.issuer == cert.subject, temporary=subject == TEMPORARY_CN)


def validate_pair(cert_pem: bytes, key_pem: bytes, host: str = "",
                  now: datetime | None = None) -> CertInfo:
    """Check the pair nginx would load: the key matches the leaf certificate, the leaf is
    currently valid and names `host`. Raises TLSValidationError listing every problem."""
    chain, key = _load_chain(cert_pem), _load_key(key_pem)
    leaf, now = chain[0], now or datetime.now(timezone.utc)
    problems = []
    if leaf.public_key().public_numbers() != key.public_key().public_numbers():
        problems.append("The private key does not belong to the certificate "
                        "(the first certificate in fullchain.pem must be the server's).")
    if leaf.not_valid_after_utc <= now:
        problems.append(f"The certificate expired on {leaf.not_valid_after_utc:%Y-%m-%d}.")
    if leaf.not_valid_before_utc > now:
        problems.append(f"The certificate is not valid before {leaf.not_valid_before_utc:%Y-%m-%d}.")
    info = describe(leaf)
    if host and not covers(info.names, host):
        listed = ", ".join(info.names) or "no subject alternative names"
        problems.append(f"The certificate does not cover {host} (it names {listed}).")
    if problems:
        raise TLSValidationError(problems)
    return info


def write_pair(certs_dir: Path, cert_pem: bytes, key_pem: bytes) -> None:
    """Write atomically (nginx may reload at any moment); the key is readable by owner only."""
    certs_dir.mkdir(parents=True, exist_ok=True)
    _atomic_write(certs_dir / KEY_FILE, key_pem, 0o600)
    _atomic_write(certs_dir / CERT_FILE, cert_pem, 0o644)


def _atomic_write(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def read_installed(certs_dir: Path) -> CertInfo | None:
    """The certificate nginx serves, or None when there is none (or it is unreadable)."""
    try:
        return describe(_load_chain((certs_dir / CERT_FILE).read_bytes())[0])
    except (OSError, TLSValidationError):
        return None
