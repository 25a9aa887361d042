"""The application factory, configuration layering, errors and the UI shell."""
import json

import pytest

from zapdesk import config as cfg
from zapdesk import create_app


def test_secret_key_is_generated_once_and_persisted(tmp_path):
    first = cfg.secret_key(tmp_path)
    assert len(first) >= 48
    assert cfg.secret_key(tmp_path) == first
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_config_layers_defaults_file_env(tmp_path, monkeypatch, test_env):
    (tmp_path / "zapdesk.json").write_text(json.dumps({"INSTANCE_NAME": "from-file", "JOB_TIMEOUT": 10}))
    monkeypatch.setenv("ZAPDESK_JOB_TIMEOUT", "42")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["INSTANCE_NAME"] == "from-file"
    assert app.config["JOB_TIMEOUT"] == 42  # env beats the file, and is coerced to int
    assert app.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text()


def test_env_booleans_are_parsed(tmp_path, monkeypatch, test_env):
    monkeypatch.setenv("ZAPDESK_WTF_CSRF_ENABLED", "false")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["WTF_CSRF_ENABLED"] is False


def test_bad_instance_file_is_a_clear_error(tmp_path, test_env):
    (tmp_path / "zapdesk.json").write_text("{nope")
    with pytest.raises(cfg.ConfigError, match="zapdesk.json is not valid JSON"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_bad_env_number_names_the_variable(tmp_path, monkeypatch, test_env):
    monkeypatch.setenv("ZAPDESK_JOB_TIMEOUT", "soon")
    with pytest.raises(cfg.ConfigError, match="ZAPDESK_JOB_TIMEOUT"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_default_database_is_sqlite_in_instance(tmp_path, monkeypatch, test_env):
    monkeypatch.delenv("ZAPDESK_DATABASE_URL")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'zapdesk.sqlite3'}"


def test_unknown_route_is_a_page_not_a_trace(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Not found" in body and "Traceback" not in body


def test_unknown_api_route_is_json(client):
    response = client.get("/api/nothing")
    assert response.status_code == 404
    assert response.json["error"] == "Not found"


def test_pages_vary_on_hx_request(client):
    response = client.get("/login")
    assert "HX-Request" in response.headers.get("Vary", "")


def test_version_endpoint_lists_plugins(client):
    body = client.get("/api/version").json
    assert body["name"] == "zapdesk"
    assert {"nodes", "profiles", "scans", "evolution", "reports", "ops"} <= set(body["plugins"])


def test_nav_is_built_from_menu_links(admin_client):
    html = admin_client.get("/dashboard").get_data(as_text=True)
    for label in ("Dashboard", "ZAP nodes", "Scans", "Profiles", "Findings", "Reports", "Ops"):
        assert f">{label}</a>" in html


def test_viewer_does_not_see_admin_links(login_as):
    html = login_as("viewer").get("/dashboard").get_data(as_text=True)
    assert ">Ops</a>" not in html and ">Scans</a>" in html


def test_htmx_response_carries_flashes_out_of_band(app, make_user):
    from flask import flash

    from zapdesk.testing import AuthedClient

    app = create_app({"TESTING": True})

    @app.get("/__flash_probe")
    def _probe():
        flash("probe message", "info")
        return "<p>fragment</p>"

    admin_client = AuthedClient(app.test_client(), make_user("admin"))
    response = admin_client.get("/__flash_probe", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert body.startswith("<p>fragment</p>")
    assert 'hx-swap-oob="true"' in body and "probe message" in body


def test_embedded_redis_started_concurrently_is_one_server(tmp_path):
    """Web, worker and scheduler start at the same moment: they must share one server."""
    from concurrent.futures import ThreadPoolExecutor

    from zapdesk import embedded_redis

    try:
        with ThreadPoolExecutor(4) as pool:
            urls = set(pool.map(lambda _: embedded_redis.ensure_started(tmp_path), range(4)))
        assert urls == {embedded_redis.url(tmp_path)}
        pid = int((tmp_path / "redis" / "redis.pid").read_text())
        import redis

        info = redis.Redis.from_url(embedded_redis.url(tmp_path)).info("server")
        assert info["process_id"] == pid
    finally:
        embedded_redis.stop(tmp_path)
    assert not embedded_redis.is_running(tmp_path)
