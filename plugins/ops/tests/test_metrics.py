"""/metrics: Prometheus text, only with the bearer token (constant-time compare)."""
from __future__ import annotations

import pytest

TOKEN = "metrics-token-" + "m" * 30


@pytest.fixture
def metrics_token(app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)
    return TOKEN


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer "])
def test_metrics_without_the_right_token_is_401(client, metrics_token, header):
    response = client.get("/metrics", headers={"Authorization": header} if header else {})
    assert response.status_code == 401 and "zapdesk_check" not in response.get_data(as_text=True)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_metrics_are_off_until_a_token_is_set(client):
    response = client.get("/metrics", headers={"Authorization": "Bearer "})
    assert response.status_code == 401 and "ZAPDESK_METRICS_TOKEN" in response.get_data(as_text=True)


def test_metrics_exposition(client, metrics_token):
    response = client.get("/metrics", headers={"Authorization": f"Bearer {metrics_token}"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.content_type.startswith("text/plain; version=0.0.4")
    assert 'zapdesk_check_ok{check="database"} 1' in text
    assert 'zapdesk_check_state{check="queues",state="ok"} 1' in text
    assert "# TYPE zapdesk_queues_default_depth gauge" in text
    assert "zapdesk_database_size_bytes " in text
    for line in text.splitlines():
        assert line.startswith("#") or float(line.rsplit(" ", 1)[1]) >= 0, line
    size = next(line for line in text.splitlines() if line.startswith("zapdesk_database_size_bytes "))
    assert size.split(" ")[1].isdigit(), "byte counts are exact, not rounded"


def test_label_values_are_escaped():
    from plugins.ops.prometheus import render

    results = {'odd"name\\': {"status": "ok", "detail": "", "critical": False, "metrics": {"n": 2}}}
    text = render(results)
    assert 'zapdesk_check_ok{check="odd\\"name\\\\"} 1' in text
    assert "zapdesk_odd_name_n 2" in text
