"""TLS certificate expiry: every certificate file in the certs folder (CERTS_PATH,
default <instance>/../certs, the folder nginx serves from)."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import NameOID

from zapdesk.contracts import CheckResult

from ..settings import certs_path, threshold

CERT_SUFFIXES = {".pem", ".crt", ".cer"}
DAY = 86400


def leaf_certificate(path: Path) -> x509.Certificate | None:
    data = path.read_bytes()
    if b"-----BEGIN CERTIFICATE-----" not in data:
        return None  # a private key or something else: not ours to judge
    return x509.load_pem_x509_certificates(data)[0]


def common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def cert_row(path: Path, cert: x509.Certificate) -> dict:
    not_after = cert.not_valid_after_utc
    days = (not_after - datetime.now(timezone.utc)).total_seconds() / DAY
    return {"file": path.name, "subject": common_name(cert),
            "not_after": not_after.isoformat(), "days_left": int(days // 1)}


def read_certificates(folder: Path) -> tuple[list[dict], list[str]]:
    rows, problems = [], []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in CERT_SUFFIXES):
        try:
            cert = leaf_certificate(path)
        except (OSError, ValueError) as exc:
            problems.append(f"{path.name}: unreadable ({type(exc).__name__})")
            continue
        if cert is not None:
            rows.append(cert_row(path, cert))
    return rows, problems


def check_certificates() -> CheckResult:
    folder = certs_path()
    if not folder.is_dir():
        # No path in the detail: /health is public; the path is in the (admin-only) metrics.
        return CheckResult("ok", "no certificates folder (CERTS_PATH): TLS is not terminated here",
                           {"path": str(folder)})
    rows, problems = read_certificates(folder)
    if not rows:
        return CheckResult("warn" if problems else "ok",
                           "; ".join(problems) or "no certificate files in CERTS_PATH", {"path": str(folder)})
    soonest = min(rows, key=lambda r: r["days_left"])
    metrics = {"min_days_left": soonest["days_left"], "count": len(rows), "rows": rows}
    return CheckResult(cert_status(soonest["days_left"], problems),
                       cert_detail(soonest, problems), metrics)


def cert_status(days_left: int, problems: list[str]) -> str:
    if days_left < 0:
        return "fail"
    if days_left <= threshold("OPS_CERT_WARN_DAYS") or problems:
        return "warn"
    return "ok"


def cert_detail(soonest: dict, problems: list[str]) -> str:
    days = soonest["days_left"]
    when = f"expired {-days} days ago" if days < 0 else f"expires in {days} days"
    return "; ".join([f"{soonest['file']} ({soonest['subject']}) {when}", *problems])
