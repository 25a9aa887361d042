"""The ops plugin's health checks, one module per resource. `all_checks()` feeds the
`health_checks` hook; /ops/overview, /ops/overview.json and /metrics render them."""
from __future__ import annotations

from zapdesk.contracts import Check

from . import fleet, queues, storage, tls


def all_checks() -> list[Check]:
    return [
        Check("database_size", storage.check_database_size, order=10),
        Check("redis_memory", queues.check_redis_memory, order=11),
        Check("worker_activity", queues.check_worker_activity, order=12),
        Check("queues", queues.check_queues, order=13),
        Check("failed_scans", fleet.check_failed_scans, order=20),
        Check("nodes", fleet.check_nodes, order=21),
        Check("disk_media", storage.check_media_disk, order=30),
        Check("disk_database", storage.check_database_disk, order=31),
        Check("tls_certificates", tls.check_certificates, order=40),
    ]

