"""Login, logout, password change, CSRF and the permission hook."""
import re

from zapdesk.models import AuditEvent
from zapdesk.passwords import password_problems
from zapdesk.testing import TEST_PASSWORD, csrf_token_from, login


def test_login_and_logout(client, make_user):
    user = make_user("engineer")
    response = login(client, user.email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    assert client.get("/dashboard").status_code == 200
    token = csrf_token_from(client, "/dashboard")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_wrong_password_does_not_say_which_field(client, make_user, app):
    user = make_user("viewer")
    response = login(client, user.email, "not-the-password")
    body = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Email or password is incorrect." in body
    unknown = login(client, "nobody@example.com", "whatever-password")
    assert "Email or password is incorrect." in unknown.get_data(as_text=True)
    with app.app_context():
        from zapdesk.extensions import db

        denied = db.session.execute(db.select(AuditEvent).where(AuditEvent.outcome == "denied")).scalars().all()
        assert len(denied) == 2


def test_inactive_user_cannot_log_in(client, make_user, app):
    user = make_user("admin")
    with app.app_context():
        from zapdesk.extensions import db
        from zapdesk.models import User

        db.session.get(User, user.id).active = False
        db.session.commit()
    assert login(client, user.email).status_code == 401


def test_csrf_failure_says_the_form_expired(client, make_user):
    user = make_user("viewer")
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)


def test_open_redirect_is_refused(client, make_user):
    user = make_user("viewer")
    token = csrf_token_from(client)
    response = client.post("/login?next=//evil.example/", data={
        "email": user.email, "password": TEST_PASSWORD, "csrf_token": token})
    assert response.headers["Location"].endswith("/dashboard")


def test_change_password(login_as, app):
    c = login_as("engineer")
    bad = c.post("/account/password", data={"current_password": TEST_PASSWORD,
                                              "new_password": "short", "confirm_password": "short"})
    assert bad.status_code == 400 and "at least 12 characters" in bad.get_data(as_text=True)
    ok = c.post("/account/password", data={"current_password": TEST_PASSWORD,
                                             "new_password": "a much longer passphrase",
                                             "confirm_password": "a much longer passphrase"})
    assert ok.status_code == 302
    c.post("/logout")
    assert login(c.client, c.user.email, "a much longer passphrase").status_code == 302


def test_password_policy():
    assert password_problems("correct horse battery", "a@b.c") == []
    assert password_problems("password1234")
    assert password_problems("admin@example.com", "admin@example.com")
    assert password_problems("aaaaaaaaaaaaaa")


def test_login_page_has_no_secret_in_url(client):
    html = client.get("/login").get_data(as_text=True)
    assert re.search(r'<form method="post"', html)
