"""Helpers for the scans tests: objects in the database and a synchronous tick driver.

`drive()` calls the engine's tick function in this process (the state machine itself,
with real simulated ZAP nodes over HTTP); the fault tests use real worker subprocesses."""
from __future__ import annotations

import time

import pytest

from zapdesk.extensions import db


@pytest.fixture
def scan_setup(app_ctx):
    """Factory: (target, profile) rows for `base_url`."""
    from plugins.profiles import service

    def _make(base_url: str, kind: str = "baseline", profile_name: str | None = None, **profile_options):
        target = service.get_or_create_target(base_url, project_name="Tests")
        profile = service.save_profile(None, {"name": profile_name or f"{kind}-{time.monotonic_ns()}",
                                              "kind": kind, **profile_options})
        db.session.commit()
        return target, profile

    return _make


def tick(scan_id: int) -> str:
    from plugins.scans.engine import advance
    from plugins.scans.models import Scan

    db.session.expire_all()
    scan = db.session.get(Scan, scan_id)
    return advance(scan_id, scan.tick)


def drive(scan_id: int, until=None, max_ticks: int = 2000, pause: float = 0.02):
    """Tick the scan until it ends (or `until(scan)` holds); return the fresh Scan."""
    from plugins.scans.models import Scan

    for _ in range(max_ticks):
        tick(scan_id)
        db.session.expire_all()
        scan = db.session.get(Scan, scan_id)
        if (until and until(scan)) or (until is None and scan.is_finished):
            return scan
        time.sleep(pause)
    raise AssertionError(f"scan {scan_id} did not get there in {max_ticks} ticks: {scan.state} {scan.error}")
