"""A second app on the session database with SETUP_REQUIRED on (the session app has it
off), its certs and nginx state folders in tmp."""
import re

import pytest

from zapdesk import create_app


@pytest.fixture
def setup_paths(tmp_path):
    return {"CERTS_PATH": str(tmp_path / "certs"), "NGINX_STATE_PATH": str(tmp_path / "nginx-state")}


@pytest.fixture
def wizard_app(app, setup_paths):
    return create_app({"SETUP_REQUIRED": True, "TESTING": True, **setup_paths})


class WizardClient:
    """A test client that sends the page's CSRF token with every form."""

    def __init__(self, application):
        self.client = application.test_client()

    def token(self) -> str:
        for path in ("/setup/login", "/login"):
            html = self.client.get(path).get_data(as_text=True)
            match = re.search(r'name="csrf-token" content="([^"]+)"', html)
            if match:
                return match.group(1)
        raise AssertionError("no page with a CSRF token")

    def get(self, path, **kwargs):
        return self.client.get(path, **kwargs)

    def post(self, path, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token())
        return self.client.post(path, data=data, **kwargs)


@pytest.fixture
def wizard(wizard_app):
    return WizardClient(wizard_app)


ADMIN = {"email": "first@example.com", "password": "correct horse battery", "confirm": "correct horse battery"}


def walk_to(wizard, step: str, external_url: str = "https://zapdesk.example.test") -> None:
    """Complete the steps before `step` through the forms."""
    order = ["instance", "admin", "tls", "zap", "finish"]
    forms = {"instance": {"instance_name": "Acme scanning", "external_url": external_url},
             "admin": ADMIN, "tls": {"mode": "generate"}}
    for name in order[:order.index(step)]:
        if name == "zap":
            wizard.post("/setup/zap/continue")
            continue
        response = wizard.post(f"/setup/{name}", forms[name])
        assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def registered_zap_step(sim_node):
    """Step 4 through its form, against a simulated ZAP node (ZAP itself is the one part
    these tests mock: plugins.nodes' simulator)."""

    def _register(wizard):
        node = sim_node(api_key="setup-key")
        response = wizard.post("/setup/zap", {"name": "zap-internal", "base_url": node.url,
                                              "api_key": "setup-key", "kind": "internal"})
        assert response.status_code == 200, response.get_data(as_text=True)
        assert wizard.post("/setup/zap/continue").location.endswith("/setup/finish")
        return node

    return _register
