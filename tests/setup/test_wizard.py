"""The setup wizard over HTTP (Flask test client, real database): gating, each step's
validation, resuming, and that it is gone for good once complete."""
from pathlib import Path

from zapdesk.extensions import db
from zapdesk.models import User, get_setting
from zapdesk.setup import tls

from .conftest import ADMIN, walk_to


def test_every_page_redirects_to_setup_except_health_and_version(wizard):
    for path in ("/", "/dashboard", "/login", "/zapnodes"):
        response = wizard.get(path)
        assert response.status_code == 302 and response.location.endswith("/setup/"), path
    assert wizard.get("/health").status_code in (200, 503)
    assert wizard.get("/api/version").status_code == 200
    assert wizard.get("/setup/").location.endswith("/setup/instance")
    assert wizard.get("/metrics").status_code == 401, "a scraper gets its own answer, not the wizard"


def test_instance_step_validates_and_persists(wizard, wizard_app):
    bad = wizard.post("/setup/instance", {"instance_name": "", "external_url": "ftp://x"})
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "Give this instance a name" in html and "e.g. https://zapdesk.example.com" in html
    creds = wizard.post("/setup/instance", {"instance_name": "A", "external_url": "https://u:p@h.test"})
    assert "must not contain credentials" in creds.get_data(as_text=True)
    ok = wizard.post("/setup/instance", {"instance_name": "Acme", "external_url": "https://scan.acme.test/"})
    assert ok.status_code == 302 and ok.location.endswith("/setup/admin")
    with wizard_app.app_context():
        assert get_setting("setup.state")["instance"] == {"instance_name": "Acme",
                                                           "external_url": "https://scan.acme.test"}
    assert "<title>Setup · Acme</title>" in wizard.get("/setup/admin").get_data(as_text=True)


def test_steps_open_in_order(wizard):
    assert wizard.get("/setup/tls").location.endswith("/setup/instance")
    assert wizard.get("/setup/finish").location.endswith("/setup/instance")
    walk_to(wizard, "admin")
    assert wizard.get("/setup/zap").location.endswith("/setup/admin")


def test_admin_password_policy(wizard, wizard_app):
    walk_to(wizard, "admin")
    cases = {"short": "Use at least 12 characters",
             "first@example.com": "must not be your email",
             "password1234": "too common"}
    for password, message in cases.items():
        response = wizard.post("/setup/admin", {"email": "first@example.com", "password": password,
                                                "confirm": password})
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    differ = wizard.post("/setup/admin", {**ADMIN, "confirm": "something else entirely"})
    assert "The two passwords differ." in differ.get_data(as_text=True)
    with wizard_app.app_context():
        assert db.session.execute(db.select(User)).first() is None


def test_admin_created_once_and_wizard_locked_to_it(wizard, wizard_app):
    walk_to(wizard, "tls")
    with wizard_app.app_context():
        users = db.session.execute(db.select(User)).scalars().all()
        assert [(u.email, u.role) for u in users] == [("first@example.com", "admin")]
    stranger = type(wizard)(wizard_app)
    assert stranger.get("/setup/tls").location.endswith("/setup/login")
    again = stranger.post("/setup/admin", {**ADMIN, "email": "second@example.com"})
    assert again.location.endswith("/setup/login")
    bad = stranger.post("/setup/login", {"email": ADMIN["email"], "password": "wrong password!!"})
    assert bad.status_code == 401
    ok = stranger.post("/setup/login", {"email": ADMIN["email"], "password": ADMIN["password"]})
    assert ok.status_code == 302
    assert stranger.get("/setup/").location.endswith("/setup/tls")  # resumes where it was
    assert "never creates a second one" in stranger.get("/setup/admin").get_data(as_text=True)
    with wizard_app.app_context():
        assert db.session.execute(db.select(db.func.count(User.id))).scalar() == 1


def test_tls_generate_writes_a_pair_covering_the_host(wizard, setup_paths):
    walk_to(wizard, "tls", external_url="https://scan.acme.test")
    response = wizard.post("/setup/tls", {"mode": "generate"})
    assert response.location.endswith("/setup/zap")
    certs = Path(setup_paths["CERTS_PATH"])
    info = tls.validate_pair((certs / "fullchain.pem").read_bytes(),
                             (certs / "privkey.pem").read_bytes(), "scan.acme.test")
    assert set(info.names) == {"localhost", "127.0.0.1", "scan.acme.test"}
    assert (certs / "privkey.pem").stat().st_mode & 0o077 == 0


def test_tls_upload_rejects_mismatched_key_and_wrong_host(wizard, setup_paths):
    walk_to(wizard, "tls", external_url="https://scan.acme.test")
    cert, _ = tls.generate_self_signed(["other.test"])
    _, other_key = tls.generate_self_signed(["other.test"])
    response = wizard.post("/setup/tls", {"mode": "upload", "fullchain_text": cert.decode(),
                                          "privkey_text": other_key.decode()})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "does not belong to the certificate" in html and "does not cover scan.acme.test" in html
    assert not (Path(setup_paths["CERTS_PATH"]) / "fullchain.pem").exists()
    missing = wizard.post("/setup/tls", {"mode": "upload"})
    assert "Choose the fullchain.pem file" in missing.get_data(as_text=True)


def test_tls_upload_accepts_a_valid_pair(wizard, setup_paths):
    walk_to(wizard, "tls", external_url="https://scan.acme.test")
    cert, key = tls.generate_self_signed(["scan.acme.test"])
    from io import BytesIO

    response = wizard.post("/setup/tls", {"mode": "upload", "fullchain": (BytesIO(cert), "fullchain.pem"),
                                          "privkey": (BytesIO(key), "privkey.pem")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert (Path(setup_paths["CERTS_PATH"]) / "fullchain.pem").read_bytes() == cert


def test_wizard_absent_when_setup_not_required(client, app):
    """The session app runs with SETUP_REQUIRED off: /setup must not offer an admin."""
    assert client.get("/setup/admin").status_code == 404
    assert client.get("/setup/").location.endswith("/login")


def test_a_viewer_made_on_the_command_line_does_not_block_the_first_admin(wizard, wizard_app, make_user):
    viewer = make_user("viewer")
    walk_to(wizard, "admin")
    taken = wizard.post("/setup/admin", {**ADMIN, "email": viewer.email})
    assert taken.status_code == 400 and "already exists" in taken.get_data(as_text=True)
    response = wizard.post("/setup/admin", ADMIN)
    assert response.status_code == 302 and response.location.endswith("/setup/tls")
