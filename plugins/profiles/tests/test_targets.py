"""Projects and targets: validation, secrets encrypted at rest and never shown, pages."""
import pytest
from sqlalchemy import text

from plugins.profiles import service
from plugins.profiles.validation import ValidationError
from zapdesk.extensions import db


BAD_URLS = [
    ("", "enter the target's base URL"),
    ("ftp://example.com/", "http:// or https://"),
    ("http:///path", "no host name"),
    ("https://user:pw@example.com/", "do not put credentials"),
    ("http://example.com:99999/", "port"),
    ("javascript:alert(1)", "http:// or https://"),
]


def test_bad_urls_are_refused_with_a_reason(app_ctx):
    project = service.create_project("P")
    for url, message in BAD_URLS:
        with pytest.raises(ValidationError) as err:
            service.save_target(None, {"base_url": url, "project_id": project.id})
        assert message in err.value.errors["base_url"], url


def test_bad_scope_regexes_are_refused_and_nothing_is_saved(app_ctx):
    project = service.create_project("P")
    with pytest.raises(ValidationError) as err:
        service.save_target(None, {"base_url": "https://a.example/", "project_id": project.id,
                                   "scope_include": "^https://a\\.example/(", "scope_exclude": "[z-a]"})
    assert "not a valid regular expression" in err.value.errors["scope_include"]
    assert "scope_exclude" in err.value.errors
    db.session.rollback()
    assert service.list_targets() == []


def test_url_is_normalised_and_unique(app_ctx):
    target = service.get_or_create_target("HTTPS://App.Example.com", project_name="Web")
    assert target.base_url == "https://app.example.com/" and target.project.name == "Web"
    assert service.get_or_create_target("https://app.example.com/").id == target.id
    assert service.find_target_by_url("https://APP.example.com/") is target
    with pytest.raises(ValidationError) as err:
        service.save_target(None, {"base_url": "https://app.example.com/", "project_id": target.project_id})
    assert "already the target" in err.value.errors["base_url"]


def test_auth_secrets_are_encrypted_at_rest_and_kept_when_left_blank(app_ctx):
    project = service.create_project("P")
    target = service.save_target(None, {"base_url": "https://a.example/", "project_id": project.id,
                                        "auth_kind": "bearer", "token": "s3cret-token-value"})
    db.session.commit()
    raw = db.session.execute(text("SELECT auth_config_encrypted FROM target")).scalar()
    assert "s3cret" not in raw
    service.save_target(target, {"auth_kind": "bearer", "token": ""})
    assert service.target_auth_config(target) == {"token": "s3cret-token-value"}
    with pytest.raises(ValidationError) as err:
        service.save_target(target, {"auth_kind": "header", "header_name": "Bad Header", "header_value": "x"})
    assert "not a valid HTTP header name" in err.value.errors["header_name"]


def test_project_and_target_pages(admin_client, app):
    page = admin_client.post("/projects", data={"name": "Shop", "description": "the web shop"})
    assert page.status_code == 302
    project_url = page.headers["Location"]
    bad = admin_client.post(project_url + "/targets", data={"base_url": "not a url", "scope_include": "("})
    assert bad.status_code == 400
    body = bad.get_data(as_text=True)
    assert "http:// or https://" in body and "not a valid regular expression" in body
    made = admin_client.post(project_url + "/targets", data={
        "base_url": "https://shop.example/", "name": "Shop", "auth_kind": "basic",
        "username": "scanner", "password": "hunter2-secret"})
    assert made.status_code == 302
    html = admin_client.get(made.headers["Location"]).get_data(as_text=True)
    assert "https://shop.example/" in html and "scanner" in html
    assert "hunter2-secret" not in html and "(set)" in html
    listing = admin_client.get("/projects").get_data(as_text=True)
    assert "Shop" in listing and ">1<" in listing


def test_viewers_cannot_change_targets(login_as, app):
    with app.app_context():
        target = service.get_or_create_target("https://v.example/")
        db.session.commit()
        target_id = target.id
    viewer = login_as("viewer")
    assert viewer.post("/projects", data={"name": "X"}).status_code == 403
    assert viewer.post(f"/targets/{target_id}", data={"base_url": "https://w.example/"}).status_code == 403
    assert "Edit target" not in viewer.get(f"/targets/{target_id}").get_data(as_text=True)
