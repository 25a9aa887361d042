"""Finishing the wizard: the ZAP step against a simulated node (the simulator stands in
for ZAP), the complete flag, the nginx state file, and the wizard gone for good."""
from pathlib import Path

from zapdesk.extensions import db
from zapdesk.models import AuditEvent, User, get_setting

from .conftest import ADMIN, walk_to


def test_finish_marks_complete_writes_nginx_state_and_wizard_is_gone(wizard, wizard_app, setup_paths,
                                                                     registered_zap_step):
    walk_to(wizard, "zap")
    registered_zap_step(wizard)
    response = wizard.post("/setup/finish")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "https://zapdesk.example.test/" in html
    assert (Path(setup_paths["NGINX_STATE_PATH"]) / "setup_complete").exists()
    with wizard_app.app_context():
        assert get_setting("setup.complete") is True
        actions = {e.action for e in db.session.execute(db.select(AuditEvent)).scalars()}
        assert {"setup.instance", "setup.admin_created", "setup.tls", "setup.complete"} <= actions
    assert wizard.get("/dashboard").status_code == 200
    assert wizard.get("/setup/").location.endswith("/login")
    for path in ("/setup/admin", "/setup/instance", "/setup/finish"):
        assert wizard.get(path).status_code == 404
    stranger = type(wizard)(wizard_app)
    assert stranger.post("/setup/admin", {**ADMIN, "email": "evil@example.com"}).status_code == 404
    with wizard_app.app_context():
        assert db.session.execute(db.select(db.func.count(User.id))).scalar() == 1


def test_finish_reports_an_unwritable_nginx_state_folder(wizard, wizard_app, tmp_path,
                                                         registered_zap_step):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    wizard_app.config["NGINX_STATE_PATH"] = str(blocker / "state")
    walk_to(wizard, "zap")
    registered_zap_step(wizard)
    response = wizard.post("/setup/finish")
    assert response.status_code == 500
    assert "ZAPDESK_NGINX_STATE_PATH" in response.get_data(as_text=True)
    with wizard_app.app_context():
        assert get_setting("setup.complete") is None


def test_zap_step_explains_an_unreachable_node_and_can_save_it_anyway(wizard, wizard_app):
    from zapdesk.testing import free_port

    walk_to(wizard, "zap")
    form = {"name": "zap-internal", "base_url": f"http://127.0.0.1:{free_port()}",
            "api_key": "wizard-secret-key-123", "kind": "internal"}
    refused = wizard.post("/setup/zap", form)
    assert refused.status_code == 400 and "cannot reach ZAP" in refused.get_data(as_text=True)
    assert wizard.post("/setup/zap/continue").location.endswith("/setup/zap")  # nothing registered
    saved = wizard.post("/setup/zap", {**form, "save_anyway": "1"})
    html = saved.get_data(as_text=True)
    assert saved.status_code == 200 and "did not answer as expected" in html and "wizard-secret-key-123" not in html
    assert wizard.post("/setup/zap/continue").location.endswith("/setup/finish")
    assert "scans wait until a node is healthy" in wizard.get("/setup/finish").get_data(as_text=True)
