"""Nodes: the ZAP client against the simulator (a stand-in for ZAP, not a scanner) —
API call rate, paging 20,000 alerts, a full simulated scan of the local target site,
testing 20 nodes at once, and capacity claims from many threads (one node, capacity 5).

Runs in a throw-away instance (SQLite + embedded Redis).

  python -m bench.run nodes
"""
from __future__ import annotations

import os
import tempfile
import threading
import time

ALERTS, NODES, CLAIMERS = 20_000, 20, 32


def fresh_app():
    import flask_migrate

    from zapdesk import create_app

    os.environ.update(ZAPDESK_INSTANCE_PATH=tempfile.mkdtemp(prefix="zapdesk-bench-nodes-"),
                      ZAPDESK_SETUP_REQUIRED="false")
    for name in ("ZAPDESK_DATABASE_URL", "ZAPDESK_REDIS_URL"):
        os.environ.pop(name, None)
    app = create_app({"TESTING": True})
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
    return app


def api_call_rate(calls: int = 1000) -> dict:
    from plugins.nodes.simulator import start_simulator
    from plugins.nodes.zapclient import ZapClient

    node = start_simulator(api_key="bench")
    client = ZapClient(node.url, "bench")
    started = time.perf_counter()
    for _ in range(calls):
        client.version()
    elapsed = time.perf_counter() - started
    node.stop()
    return {"figure": "core/view/version calls", "calls": calls, "seconds": round(elapsed, 3),
            "calls_per_s": round(calls / elapsed), "ms_per_call": round(elapsed / calls * 1000, 3)}


def alert_paging(page_size: int = 500) -> dict:
    from plugins.nodes.simulator import start_simulator
    from plugins.nodes.simulator.engine import alert_dict
    from plugins.nodes.simulator.rules import Finding, catalogue
    from plugins.nodes.zapclient import ZapClient

    node = start_simulator(api_key="bench")
    rules = list(catalogue().values())
    node.seed_alerts([alert_dict(0, rules[i % len(rules)], Finding(rules[i % len(rules)]["pluginId"],
                      f"http://bench.local/page/{i}", "GET", param=f"p{i % 7}"), i, "3") for i in range(ALERTS)])
    started = time.perf_counter()
    fetched = sum(1 for _ in ZapClient(node.url, "bench", timeout=60).iter_alerts(page_size=page_size))
    elapsed = time.perf_counter() - started
    node.stop()
    return {"figure": "iter_alerts", "alerts": fetched, "page_size": page_size, "seconds": round(elapsed, 2),
            "alerts_per_s": round(fetched / elapsed)}


def simulated_scan(speed: float = 100.0) -> dict:
    from plugins.nodes.simulator import start_simulator
    from plugins.nodes.simulator.target_site import start_target_site
    from plugins.nodes.zapclient import ZapClient

    site, node = start_target_site(), start_simulator(api_key="bench", speed=speed)
    client = ZapClient(node.url, "bench")
    started = time.perf_counter()
    spider = client.spider_scan(site.url)
    wait(lambda: client.spider_status(spider) == 100)
    wait(lambda: client.pscan_records_to_scan() == 0)
    active = client.ascan_scan(site.url)
    wait(lambda: client.ascan_status(active) == 100)
    alerts = client.number_of_alerts(site.url)
    elapsed = time.perf_counter() - started
    urls = len(client.spider_results(spider))
    node.stop(), site.stop()
    return {"figure": "full simulated scan of the target site", "speed": speed, "seconds": round(elapsed, 2),
            "urls": urls, "alerts": alerts}


def test_many_nodes(app) -> dict:
    from plugins.nodes import service
    from plugins.nodes.simulator import start_simulator

    sims = [start_simulator(api_key=f"k{i}", fault="slow:0.2" if i % 4 == 0 else None) for i in range(NODES)]
    with app.app_context():
        nodes = [service.add_node(f"bench-{i}", s.url, f"k{i}", verify=False) for i, s in enumerate(sims)]
        started = time.perf_counter()
        results = service.test_nodes(nodes)
        elapsed = time.perf_counter() - started
    for sim in sims:
        sim.stop()
    return {"figure": "test_nodes (parallel)", "nodes": NODES, "slow_nodes_0.2s": NODES // 4,
            "healthy": sum(r.ok for r in results), "seconds": round(elapsed, 3)}


def claim_contention(app, capacity: int = 5) -> dict:
    from plugins.nodes import service
    from plugins.nodes.models import ZapNode
    from zapdesk.extensions import db

    with app.app_context():
        node = ZapNode(name="claims", base_url="http://claims.bench:8080", capacity=capacity, status="healthy",
                       enabled=True, api_key_encrypted="", kind="external", running_scans=0)
        db.session.add(node)
        db.session.commit()
        node_id = node.id
    granted: list[bool] = []

    def claimer():
        with app.app_context():
            granted.append(service.claim_slot(node_id))

    threads = [threading.Thread(target=claimer) for _ in range(CLAIMERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    with app.app_context():
        running = service.get_node(node_id).running_scans
    return {"figure": "claim_slot from many threads", "threads": CLAIMERS, "capacity": capacity,
            "granted": sum(granted), "running_scans_after": running, "seconds": round(elapsed, 3)}


def wait(check, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the simulator did not finish")
        time.sleep(0.02)


def run() -> list[dict]:
    app = fresh_app()
    return [api_call_rate(), alert_paging(), simulated_scan(), test_many_nodes(app), claim_contention(app)]
