"""pytest fixtures the nodes plugin offers every test (loaded by the root conftest):
simulated ZAP nodes (a stand-in for ZAP, never a real scanner) and a small local site.

    def test_x(sim_node, target_site, registered_node):
        node = sim_node(api_key="key", fault=None, speed=50)   # SimNode: .url .api_key
        row = registered_node(name="n1")                       # a ZapNode in the database
"""
from __future__ import annotations

import itertools

import pytest

from plugins.nodes.simulator import start_simulator
from plugins.nodes.simulator.target_site import start_target_site

TEST_SPEED = 50.0
_names = itertools.count(1)


@pytest.fixture
def sim_node():
    """Factory: start simulated nodes on free ports; all are stopped after the test."""
    started = []

    def _start(api_key: str = "key", fault: str | None = None, speed: float = TEST_SPEED, **options):
        node = start_simulator(api_key=api_key, fault=fault, speed=speed, **options)
        started.append(node)
        return node

    yield _start
    for node in started:
        node.stop()


@pytest.fixture
def target_site():
    """URL of a small local site (links, forms with parameters, a cookie without flags,
    missing security headers, a Server/X-Powered-By banner, a 404 page), real HTTP."""
    site = start_target_site()
    yield site.url
    site.stop()


@pytest.fixture
def registered_node(app, sim_node):
    """Factory: start a simulated node and register it with add_node (inside an app
    context). Returns the ZapNode; the SimNode is on `node.sim` for fault switching."""
    from plugins.nodes.service import add_node, get_node

    def _register(name: str | None = None, api_key: str = "key", fault: str | None = None,
                  speed: float = TEST_SPEED, capacity: int = 2, kind: str = "external",
                  registered_key: str | None = None):
        sim = sim_node(api_key=api_key, fault=fault, speed=speed)
        with app.app_context():
            node = add_node(name or f"sim-{next(_names)}", sim.url, registered_key or api_key, kind=kind,
                            capacity=capacity, verify=fault is None and registered_key is None)
            node = get_node(node.id)
            from zapdesk.extensions import db

            db.session.expunge(node)
        node.sim = sim
        return node

    return _register
