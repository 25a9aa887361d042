"""A ZAP-API-compatible stand-in for tests, demos and benchmarks — NOT a scanner.

    node = start_simulator(api_key="key", speed=20)   # port 0: a free port
    node.url, node.api_key; node.set_fault("slow:2"); node.stop()

It crawls the target it is given over real HTTP, raises passive alerts from what the
responses contain and active alerts from a catalogue of real ZAP rules, deterministically.
"""
from __future__ import annotations

import hmac
import ssl
import threading

from .engine import Engine
from .faults import FAULTS, Fault, parse_fault
from .server import SimServer

SIM_VERSION = "2.16.0-zapdesk-simulator"

__all__ = ["start_simulator", "SimNode", "FAULTS", "SIM_VERSION"]


class SimNode:
    """One simulated ZAP daemon listening on 127.0.0.1 (threads in this process)."""

    def __init__(self, host: str, port: int, api_key: str, speed: float, fault: str | None,
                 report_perm_errors: bool, error_details: bool, tls: tuple[str, str] | None = None):
        self.host, self.api_key, self.tls = host, api_key, tls
        self.speed, self.report_perm_errors, self.error_details = speed, report_perm_errors, error_details
        self.engine = self._new_engine()
        self.fault: Fault | None = None
        self._server: SimServer | None = None
        self._lock = threading.Lock()
        self.port = self._listen(port)
        self.set_fault(fault)

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def __repr__(self) -> str:
        return f"<SimNode {self.url} fault={self.fault.name if self.fault else None}>"

    def _new_engine(self) -> Engine:
        engine = Engine(self.speed)
        engine.version = SIM_VERSION
        return engine

    # --- listening ------------------------------------------------------------------------
    def _listen(self, port: int) -> int:
        server = SimServer((self.host, port), self)
        if self.tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*self.tls)
            server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True,
                         name=f"sim-node-{server.server_address[1]}").start()
        self._server = server
        return server.server_address[1]

    def _unlisten(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()

    @property
    def listening(self) -> bool:
        return self._server is not None

    def stop(self) -> None:
        with self._lock:
            self._unlisten()

    def seed_alerts(self, alerts: list[dict]) -> None:
        """Add ready-made API alert dicts (e.g. mapped from a real report) to the node, as
        if a scan had raised them; ids are renumbered in order."""
        with self.engine.lock:
            for alert in alerts:
                self.engine.alerts.append({**alert, "id": str(len(self.engine.alerts))})

    # --- faults ---------------------------------------------------------------------------
    def set_fault(self, name: str | None) -> None:
        """Switch fault at run time ('refuse', 'slow:2', None to heal). Healing a node that
        refused or died brings it back on the same port (a dead node's state is lost)."""
        fault = parse_fault(name)
        with self._lock:
            self.fault = fault
            self.engine.progress_cap = fault.argument if fault and fault.name == "stuck" else None
            if fault and fault.name == "refuse":
                self._unlisten()
            elif self._server is None:
                self.port = self._listen(self.port)

    def key_ok(self, supplied: str | None) -> bool:
        if self.fault and self.fault.name == "bad_key":
            return False
        return hmac.compare_digest((supplied or "").encode(), self.api_key.encode())

    def fault_hit_before_answer(self) -> bool:
        """'die': once a scan passes the threshold the daemon is gone (True: drop)."""
        fault = self.fault
        if fault is None or fault.name != "die":
            return False
        if self.engine.highest_progress() < fault.argument:
            return False
        threading.Thread(target=self._die, daemon=True).start()
        return True

    def _die(self) -> None:
        with self._lock:
            self._unlisten()
            self.engine = self._new_engine()

    def fault_answer(self, handler) -> bool:
        """Answer instead of the API when a fault says so (True: answered)."""
        fault = self.fault
        if fault is None:
            return False
        if fault.name == "slow":
            handler.pause(fault.argument)
            return False
        canned = {
            "error500": (500, b'{"code":"internal_error","message":"Internal Error"}', "application/json; charset=UTF-8"),
            "malformed": (200, b'{"version": "2.16', "application/json; charset=UTF-8"),
            "html": (200, b"<!DOCTYPE html><html><head><title>Welcome</title></head><body><h1>It works!</h1></body></html>",
                     "text/html; charset=UTF-8"),
        }.get(fault.name)
        if canned is None:
            return False
        handler.send_raw(*canned)
        return True


def start_simulator(port: int = 0, api_key: str = "key", fault: str | None = None, speed: float = 1.0,
                    host: str = "127.0.0.1", report_perm_errors: bool = False,
                    error_details: bool = True, tls: tuple[str, str] | None = None) -> SimNode:
    """Start a simulated node (port 0 = a free port). `speed` multiplies how fast scan
    progress advances (tests: 20-100; demos: 1). `report_perm_errors` mirrors ZAP's
    api.reportpermerrors (bad key: 400 bad_api_key JSON instead of no reply). `tls` is
    (certfile, keyfile): the node then speaks https."""
    return SimNode(host, port, api_key, speed, fault, report_perm_errors, error_details, tls)
