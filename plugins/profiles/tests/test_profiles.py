"""Scan profiles: validation, the /profiles pages, OpenAPI uploads."""
import io

import pytest

from plugins.profiles import service
from plugins.profiles.validation import ValidationError


BAD_SETTINGS = [
    ({"kind": "nuclear"}, "kind", "must be one of"),
    ({"spider_max_depth": "deep"}, "spider_max_depth", "whole number"),
    ({"max_duration_s": 5}, "max_duration_s", "between 30"),
    ({"kind": "api"}, "openapi_url", "needs an OpenAPI definition"),
    ({"alert_filters": "10021 maybe"}, "alert_filters", "new risk must be one of"),
    ({"pinned_node_id": 999}, "pinned_node_id", "existing ZAP node"),
    ({"attack_strength": "EXTREME"}, "attack_strength", "must be one of"),
]


def test_bad_profile_settings_are_refused(app_ctx):
    for data, field, message in BAD_SETTINGS:
        with pytest.raises(ValidationError) as err:
            service.save_profile(None, {"name": "p", **data})
        assert message in err.value.errors[field], data
    assert service.list_profiles() == []


def test_profile_pages_create_and_edit(admin_client, app):
    bad = admin_client.post("/profiles", data={"name": "", "kind": "full", "max_duration_s": "x"})
    assert bad.status_code == 400 and "enter a profile name" in bad.get_data(as_text=True)
    ok = admin_client.post("/profiles", data={"name": "Nightly", "kind": "full", "ajax_spider": "on",
                                              "spider_max_depth": "3", "max_duration_s": "600",
                                              "attack_strength": "HIGH", "alert_threshold": "LOW",
                                              "alert_filters": "10021 ignore"})
    assert ok.status_code == 302
    with app.app_context():
        profile = service.get_profile_by_name("nightly")
        assert profile.ajax_spider and profile.spider_max_depth == 3
        assert profile.alert_filters == [{"rule_id": "10021", "risk": "ignore"}]
        profile_id = profile.id
    edit = admin_client.get(f"/profiles/{profile_id}").get_data(as_text=True)
    assert 'value="Nightly"' in edit and "10021 ignore" in edit
    dup = admin_client.post("/profiles", data={"name": "nightly", "kind": "baseline"})
    assert dup.status_code == 400 and "already exists" in dup.get_data(as_text=True)
    assert "Nightly" in admin_client.get("/profiles").get_data(as_text=True)


def test_openapi_upload_is_checked(admin_client, app):
    bad = admin_client.post("/profiles", data={"name": "api", "kind": "api",
                                               "openapi_upload": (io.BytesIO(b"<html>"), "spec.json")},
                            content_type="multipart/form-data")
    assert bad.status_code == 400 and "not an OpenAPI" in bad.get_data(as_text=True)
    spec = b'{"openapi": "3.0.0", "paths": {}}'
    ok = admin_client.post("/profiles", data={"name": "api", "kind": "api",
                                              "openapi_upload": (io.BytesIO(spec), "spec.json")},
                           content_type="multipart/form-data")
    assert ok.status_code == 302
    with app.app_context():
        assert service.get_profile_by_name("api").openapi_file.startswith("openapi/")
