"""The RQ dashboard at /ops/rq: admins only, on zapdesk's own Redis connection."""
from __future__ import annotations

import pytest

from zapdesk.jobs import get_queue, get_redis

PATHS = ("/ops/rq/", "/ops/rq/0/view/workers", "/ops/rq/0/data/queues.json",
         "/ops/rq/0/data/workers.json", "/ops/rq/static/css/main.css")


@pytest.mark.parametrize("path", PATHS)
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["viewer", "engineer"])
def test_non_admins_get_403(login_as, role):
    client = login_as(role)
    for path in PATHS:
        assert client.get(path).status_code == 403, path
    assert client.post("/ops/rq/queue/default/queued/empty").status_code == 403


def test_admin_sees_zapdesk_queues_through_zapdesk_redis(app, admin_client):
    with app.app_context():
        get_queue("default").enqueue("plugins.ops.jobs.purge_audit_events")
    html = admin_client.get("/ops/rq/0/view/workers").get_data(as_text=True)
    assert "X-CSRFToken" in html, "the dashboard's posts carry the CSRF header"
    queues = admin_client.get("/ops/rq/0/data/queues.json").json["queues"]
    assert {"name": "default", "count": 1} in [{"name": q["name"], "count": q["count"]} for q in queues]
    assert app.redis_conn is get_redis(app)


def test_requeue_by_get_is_refused(admin_client):
    assert admin_client.client.get("/ops/rq/requeue/default").status_code == 405


def test_posts_need_the_csrf_token(admin_client):
    assert admin_client.client.post("/ops/rq/queue/default/queued/empty").status_code == 400
    assert admin_client.post("/ops/rq/queue/default/queued/empty").status_code == 200
