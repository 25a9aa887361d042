"""Wizard steps 3-5: the TLS certificate, a ZAP node, and finishing."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for

from ..audit import audit
from ..extensions import db
from ..health import overall, run_checks
from . import nodes_step, state, tls
from .blueprint import bp
from .views import render_step

MAX_PEM_BYTES = 256 * 1024


def external_host() -> str:
    saved = state.load_state().get("instance") or {}
    return urlsplit(saved.get("external_url", "")).hostname or ""


@bp.route("/tls", methods=["GET", "POST"], endpoint="tls")
def tls_step():
    host = external_host()
    context = {"host": host, "installed": tls.read_installed(state.certs_dir()),
               "hosts": tls.default_hosts(host), "saved": state.load_state().get("tls")}
    if request.method == "GET":
        return render_step("tls", problems=[], **context)
    mode = request.form.get("mode", "generate")
    try:
        cert_pem, key_pem = tls_material(mode, host)
        info = tls.validate_pair(cert_pem, key_pem, host)
    except tls.TLSValidationError as exc:
        return render_step("tls", 400, problems=exc.problems, mode=mode, **context)
    if mode != "keep":
        tls.write_pair(state.certs_dir(), cert_pem, key_pem)
    record = {"mode": mode, "subject": info.subject, "names": list(info.names),
              "not_after": info.not_after.isoformat()}
    state.save_step("tls", record)
    audit("setup.tls", info.subject, mode=mode, names=list(info.names))
    db.session.commit()
    return redirect(url_for("setup.zap"))


def tls_material(mode: str, host: str) -> tuple[bytes, bytes]:
    if mode == "generate":
        return tls.generate_self_signed(tls.default_hosts(host))
    if mode == "upload":
        return uploaded("fullchain"), uploaded("privkey")
    if mode == "keep":
        try:
            folder = state.certs_dir()
            return (folder / tls.CERT_FILE).read_bytes(), (folder / tls.KEY_FILE).read_bytes()
        except OSError:
            raise tls.TLSValidationError([f"There is no certificate pair in {state.certs_dir()} "
                                          "to keep; generate one or upload yours."]) from None
    raise tls.TLSValidationError(["Choose how to set up the certificate."])


def uploaded(field: str) -> bytes:
    upload = request.files.get(field)
    data = upload.read(MAX_PEM_BYTES + 1) if upload else b""
    if not data:
        data = request.form.get(field + "_text", "").encode()
    if not data.strip():
        raise tls.TLSValidationError([f"Choose the {field}.pem file (or paste its contents)."])
    if len(data) > MAX_PEM_BYTES:
        raise tls.TLSValidationError([f"{field}.pem is larger than a certificate file can be."])
    return data


@bp.route("/zap", methods=["GET", "POST"])
def zap():
    service = nodes_step.service()
    context = {"available": service is not None, "node": nodes_step.saved_node(),
               "key_configured": bool(current_app.config.get("SETUP_ZAP_API_KEY"))}
    if request.method == "GET" or service is None:
        return render_step("zap", form=nodes_step.default_form(), errors={}, result=None, **context)
    if request.form.get("action") == "retest" and context["node"] is not None:
        result = nodes_step.retest(context["node"])
        return render_step("zap", form=nodes_step.default_form(), errors={}, result=result, **context)
    form = nodes_step.read_form(request.form)
    node, result, errors = nodes_step.register(form)
    if errors:
        return render_step("zap", 400, form=form, errors=errors, result=None, **context)
    context["node"] = node
    return render_step("zap", form=form, errors={}, result=result, **context)


@bp.post("/zap/continue")
def zap_continue():
    if nodes_step.saved_node() is None and nodes_step.service() is not None:
        flash("Register a ZAP node first.", "error")
        return redirect(url_for("setup.zap"))
    if nodes_step.service() is None:
        state.save_step("zap", {"skipped": "the nodes plugin is not installed"})
        db.session.commit()
    return redirect(url_for("setup.finish"))


@bp.route("/finish", methods=["GET", "POST"])
def finish():
    results = run_checks()
    status = overall(results)
    context = {"results": results, "status": status, "node": nodes_step.saved_node(),
               "nginx_state": state.nginx_state_file()}
    if request.method == "GET":
        return render_step("finish", **context)
    if status == "fail":
        flash("A critical health check fails; fix it (see below) and finish again.", "error")
        return render_step("finish", 409, **context)
    try:
        state.write_nginx_state()
    except OSError as exc:
        flash(f"Cannot write {state.nginx_state_file()} ({exc.strerror}); make the folder "
              "writable by zapdesk (ZAPDESK_NGINX_STATE_PATH) and finish again.", "error")
        return render_step("finish", 500, **context)
    state.mark_complete()
    audit("setup.complete", state.load_state().get("instance", {}).get("instance_name", ""))
    db.session.commit()
    return render_template("setup/done.html", https_url=https_url(), steps=state.STEPS,
                           titles=state.STEP_TITLES, done=set(state.STEPS), step="done")


def https_url() -> str:
    url = (state.load_state().get("instance") or {}).get("external_url", "")
    parts = urlsplit(url)
    if parts.scheme == "https":
        return url + "/"
    return f"https://{parts.hostname}/" if parts.hostname else ""
