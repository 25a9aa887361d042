"""docker-compose.yml validated by Debian's docker-compose (`config`; no Docker engine
runs here), then its shape checked against the runbook: services, volumes, health checks,
restart policies, the internal-only scalable zap service and the off-by-default ops profile."""
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SECRETS = {"ZAPDESK_SECRET_KEY": "s" * 64, "POSTGRES_PASSWORD": "p" * 64, "ZAP_API_KEY": "z" * 64,
           "PDF_SERVICE_TOKEN": "t" * 64, "OPS_AGENT_TOKEN": "o" * 64}
LONG_RUNNING = ("nginx", "web", "worker", "scheduler", "pdf", "ops", "zap", "db", "redis")


def compose(tmp_path, *args, **overrides):
    """Run docker-compose with an env file made from .env.example plus `overrides`."""
    text = (REPO / ".env.example").read_text()
    for key, value in overrides.items():
        text = re.sub(rf"^{key}=.*$", f"{key}={value}", text, flags=re.M)
    env_file = tmp_path / "test.env"
    env_file.write_text(text)
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS and not k.startswith("COMPOSE_")}
    return subprocess.run(["docker-compose", "--env-file", str(env_file), "-f", str(REPO / "docker-compose.yml"),
                           *args], cwd=REPO, env=clean, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    result = compose(tmp_path_factory.mktemp("compose"), "config", **SECRETS)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_config_is_valid(tmp_path):
    result = compose(tmp_path, "config", "-q", **SECRETS)
    assert result.returncode == 0, result.stderr


def test_missing_secrets_are_named(tmp_path):
    result = compose(tmp_path, "config", "-q")
    assert result.returncode != 0 and "in .env (scripts/install.sh does)" in result.stderr


def test_services_commands_and_volumes(config):
    services = config["services"]
    assert set(LONG_RUNNING) | {"migrate"} == set(services)
    assert services["web"]["command"] == ["zapdesk", "serve", "--host", "0.0.0.0", "--port", "8080"]
    assert services["web"]["environment"]["ZAPDESK_TRUSTED_PROXY_COUNT"] == "1"
    assert services["worker"]["command"] == ["zapdesk", "worker"]
    assert services["scheduler"]["command"] == ["zapdesk", "scheduler"]
    assert services["pdf"]["command"] == ["zapdesk", "pdf-service", "--host", "0.0.0.0", "--port", "8090"]
    assert services["ops"]["command"] == ["zapdesk", "ops-agent", "--host", "0.0.0.0", "--port", "8091"]
    assert services["db"]["image"] == "postgres:16"
    assert any(v.startswith("db_data:/var/lib/postgresql/data") for v in services["db"]["volumes"])
    assert "db_data:/data/db-volume:ro" in services["web"]["volumes"]
    for name in ("web", "worker", "scheduler", "pdf"):
        media = services[name]["environment"]["ZAPDESK_MEDIA_PATH"]
        assert f"media_data:{media}:rw" in services[name]["volumes"], name
    assert {"db_data", "media_data"} <= set(config["volumes"])
    certs = [v for v in services["nginx"]["volumes"] if v.startswith(str(REPO / "certs"))]
    state = [v for v in services["web"]["volumes"] if v.startswith(str(REPO / "nginx/state"))]
    assert certs and state


def test_zap_is_internal_scalable_and_keyed(config):
    zap = config["services"]["zap"]
    assert zap["image"] == "zaproxy/zap-stable"
    assert "ports" not in zap and "container_name" not in zap
    assert zap["command"][:6] == ["zap.sh", "-daemon", "-host", "0.0.0.0", "-port", "8080"]
    assert f"api.key={SECRETS['ZAP_API_KEY']}" in zap["command"]
    assert "api.addrs.addr.regex=true" in zap["command"] and "api.addrs.addr.name=.*" in zap["command"]
    published = [name for name, svc in config["services"].items() if svc.get("ports")]
    assert published == ["nginx"]


def test_ops_is_off_by_default_behind_its_profile(config):
    assert config["services"]["ops"]["profiles"] == ["ops"]
    assert all("profiles" not in svc for name, svc in config["services"].items() if name != "ops")
    assert config["services"]["web"]["environment"]["ENABLE_OPS_AGENT"] == "false"


def test_health_checks_and_restart_policies(config):
    for name in LONG_RUNNING:
        service = config["services"][name]
        assert service["restart"] == "unless-stopped", name
        assert service["healthcheck"]["test"], name
    assert config["services"]["migrate"]["restart"] == "no"
    for name in ("web", "worker", "scheduler", "pdf"):
        assert config["services"][name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_every_env_example_key_is_used_and_documented():
    example = (REPO / ".env.example").read_text()
    keys = re.findall(r"^([A-Z_][A-Z0-9_]*)=", example, flags=re.M)
    used = (REPO / "docker-compose.yml").read_text() + (REPO / "scripts/install.sh").read_text()
    for key in keys:
        assert key in used, f"{key} in .env.example is used nowhere"
        assert re.search(rf"#[^\n]*\n(#[^\n]*\n)*{key}=", example), f"{key} has no comment"
    for key in set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", (REPO / "docker-compose.yml").read_text())):
        assert key in keys, f"docker-compose.yml reads {key}, which .env.example does not document"
