"""/health and start-up failures with one clear line."""
import subprocess
import sys



def test_health_is_public_json(client):
    response = client.get("/health")
    body = response.json
    assert response.status_code == 200
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["redis"]["status"] == "ok"
    assert body["status"] in {"ok", "degraded"}


def test_health_is_503_when_redis_is_gone(app, monkeypatch):
    import redis

    from zapdesk import jobs

    broken = redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    monkeypatch.setitem(app.extensions, "zapdesk_redis", broken)
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.json["checks"]["redis"]["status"] == "fail"
    app.extensions.pop("zapdesk_redis")
    jobs.get_redis(app)


def test_unreachable_database_is_one_clear_line(tmp_path):
    env_db = "postgresql://zapdesk:s3cret-pw@127.0.0.1:1/none"
    result = subprocess.run([sys.executable, "-m", "zapdesk", "worker", "--burst"],
                            env={"PATH": "/usr/bin:/bin", "ZAPDESK_INSTANCE_PATH": str(tmp_path),
                                 "ZAPDESK_DATABASE_URL": env_db},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot connect to the database")
    assert "ZAPDESK_DATABASE_URL" in lines[0] and "s3cret-pw" not in result.stderr


def test_unreachable_redis_is_one_clear_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "zapdesk", "scheduler"],
                            env={"PATH": "/usr/bin:/bin", "ZAPDESK_INSTANCE_PATH": str(tmp_path),
                                 "ZAPDESK_REDIS_URL": "redis://:hunter2-secret@127.0.0.1:1/0"},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "ZAPDESK_REDIS_URL" in lines[0]
    assert "hunter2-secret" not in result.stderr
