"""scripts/install.sh against a fake `docker` and a fake `git` on PATH that record their
calls (no Docker engine runs here). The script itself, .env.example and the compose file
are the real ones, copied into a scratch checkout."""
import os
import pty
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SECRETS = ("ZAPDESK_SECRET_KEY", "POSTGRES_PASSWORD", "ZAP_API_KEY", "PDF_SERVICE_TOKEN", "OPS_AGENT_TOKEN",
           "METRICS_TOKEN")
FAKE = """#!/bin/sh
printf '%s\\n' "$(basename "$0") $*" >> "{log}"
exit 0
"""


@pytest.fixture
def checkout(tmp_path):
    root = tmp_path / "zapdesk"
    (root / "scripts").mkdir(parents=True)
    for name in ("scripts/install.sh", ".env.example", "docker-compose.yml"):
        shutil.copy(REPO / name, root / name)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("docker", "git"):
        (bin_dir / tool).write_text(FAKE.format(log=tmp_path / "calls.log"))
        (bin_dir / tool).chmod(0o755)
    return root


def run(checkout, *args, input=None):
    env = {**os.environ, "PATH": f"{checkout.parent / 'bin'}:{os.environ['PATH']}"}
    result = subprocess.run(["bash", "scripts/install.sh", *args], cwd=checkout, env=env,
                            input=input, stdin=None if input is not None else subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    return result


def calls(checkout) -> list[str]:
    log = checkout.parent / "calls.log"
    lines = log.read_text().splitlines() if log.exists() else []
    return [line for line in lines if line != "docker compose version"]


def env_of(checkout) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in (checkout / ".env").read_text().splitlines()
             if re.match(r"^[A-Z_][A-Z0-9_]*=", line))
    return dict(pairs)


def test_first_run_creates_env_with_strong_secrets_and_starts_the_stack(checkout):
    result = run(checkout, "--yes")
    assert result.returncode == 0, result.stderr
    env = env_of(checkout)
    values = [env[key] for key in SECRETS]
    assert all(re.fullmatch(r"[0-9a-f]{64}", v) for v in values) and len(set(values)) == len(values)
    assert (checkout / ".env").stat().st_mode & 0o777 == 0o600
    assert env["HTTP_PORT"] == "80" and env["HTTPS_PORT"] == "443"
    assert env["ENABLE_OPS_AGENT"] == "false" and env["COMPOSE_PROFILES"] == ""
    assert env["PROJECT_DIR"] == str(checkout)
    assert (checkout / "backups" / ".gitignore").read_text() == "*\n"
    assert calls(checkout) == ["docker compose up -d --remove-orphans"]
    assert "http://localhost/setup" in result.stdout and "https://localhost/" in result.stdout


def test_rerun_changes_nothing_and_keeps_secrets_and_edits(checkout):
    assert run(checkout, "--yes").returncode == 0
    with (checkout / ".env").open("a") as fh:
        fh.write("# my note\n")
    text = (checkout / ".env").read_text().replace("LOG_LEVEL=INFO", "LOG_LEVEL=DEBUG")
    (checkout / ".env").write_text(text)
    before = (checkout / ".env").read_text()
    result = run(checkout, "--yes")
    assert result.returncode == 0, result.stderr
    assert (checkout / ".env").read_text() == before
    assert "generated" not in result.stdout
    assert calls(checkout) == ["docker compose up -d --remove-orphans"] * 2


def test_port_and_host_changes_apply_and_secrets_survive(checkout):
    run(checkout, "--yes")
    secrets = {k: env_of(checkout)[k] for k in SECRETS}
    result = run(checkout, "--yes", "--http-port", "8080", "--https-port=8443", "--public-host", "scan.example.test")
    assert result.returncode == 0, result.stderr
    env = env_of(checkout)
    assert (env["HTTP_PORT"], env["HTTPS_PORT"], env["PUBLIC_HOST"]) == ("8080", "8443", "scan.example.test")
    assert {k: env[k] for k in SECRETS} == secrets
    assert "https://scan.example.test:8443/" in result.stdout
    again = run(checkout, "--yes")  # flags are remembered in .env, not reset to defaults
    assert env_of(checkout)["HTTPS_PORT"] == "8443" and again.returncode == 0


def test_ops_profile_enabled_and_disabled_together(checkout):
    run(checkout, "--yes")
    env_text = (checkout / ".env").read_text().replace("COMPOSE_PROFILES=", "COMPOSE_PROFILES=debug")
    (checkout / ".env").write_text(env_text)
    assert run(checkout, "--yes", "--enable-ops").returncode == 0
    env = env_of(checkout)
    assert env["ENABLE_OPS_AGENT"] == "true" and env["COMPOSE_PROFILES"] == "debug,ops"
    run(checkout, "--yes", "--enable-ops")
    assert env_of(checkout)["COMPOSE_PROFILES"] == "debug,ops"
    assert run(checkout, "--yes", "--disable-ops").returncode == 0
    env = env_of(checkout)
    assert env["ENABLE_OPS_AGENT"] == "false" and env["COMPOSE_PROFILES"] == "debug"
    assert calls(checkout)[-2:] == ["docker compose rm --stop --force ops",
                                    "docker compose up -d --remove-orphans"]


def test_pull_and_build_run_in_order(checkout):
    result = run(checkout, "--yes", "--pull", "--build")
    assert result.returncode == 0, result.stderr
    assert calls(checkout) == [f"git -C {checkout} pull --ff-only", "docker compose build --pull",
                               "docker compose up -d --remove-orphans"]


def test_bad_input_is_refused_with_a_reason(checkout):
    run(checkout, "--yes")
    before = (checkout / ".env").read_text()
    for args, message in ((["--http-port", "99999"], "between 1 and 65535"),
                          (["--http-port", "8443", "--https-port", "8443"], "different ports"),
                          (["--public-host", "bad host;rm"], "not a host name"),
                          (["--frobnicate"], "unknown option")):
        result = run(checkout, "--yes", *args)
        assert result.returncode != 0 and message in result.stderr, (args, result.stderr)
    assert (checkout / ".env").read_text() == before


def test_missing_docker_is_explained(checkout, tmp_path):
    """A PATH holding only the tools the script needs (this machine has a docker CLI)."""
    bare = tmp_path / "bare-bin"
    bare.mkdir()
    for tool in ("bash", "dirname", "sed", "awk", "grep", "od", "tr", "mktemp", "chmod", "mv",
                 "cp", "cat", "paste", "tail"):
        (bare / tool).symlink_to(shutil.which(tool))
    result = subprocess.run([str(bare / "bash"), "scripts/install.sh", "--yes"], cwd=checkout,
                            env={**os.environ, "PATH": str(bare)}, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "docker is not installed" in result.stderr
    assert not (checkout / ".env").exists()


def test_no_prompt_without_a_terminal(checkout):
    """stdin is not a TTY and --yes is absent: defaults, no question, no hang."""
    result = run(checkout)
    assert result.returncode == 0 and "Public HTTP port" not in result.stdout + result.stderr


def test_interactive_prompts_on_a_terminal(checkout):
    env = {**os.environ, "PATH": f"{checkout.parent / 'bin'}:{os.environ['PATH']}"}
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(checkout)
        os.execvpe("bash", ["bash", "scripts/install.sh"], env)
    (checkout / ".git").mkdir()  # a checkout: the pull question is asked
    answers = {"Update the code first": "yes", "Rebuild the images": "", "Public HTTP port": "8081",
               "Public HTTPS port": "8444", "Public host name": "", "Enable the ops agent": "yes"}
    output = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        for prompt, answer in list(answers.items()):
            if prompt.encode() in output.split(b"\n")[-1]:
                os.write(fd, answer.encode() + b"\n")
                del answers[prompt]
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, output.decode()
    assert not answers
    env_file = env_of(checkout)
    assert (env_file["HTTP_PORT"], env_file["HTTPS_PORT"], env_file["PUBLIC_HOST"]) == ("8081", "8444", "localhost")
    assert env_file["ENABLE_OPS_AGENT"] == "true" and env_file["COMPOSE_PROFILES"] == "ops"
    assert calls(checkout) == [f"git -C {checkout} pull --ff-only", "docker compose up -d --remove-orphans"]


def test_help_lists_every_flag():
    result = subprocess.run(["bash", str(REPO / "scripts/install.sh"), "--help"], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0
    for flag in ("--yes", "--http-port", "--https-port", "--public-host", "--enable-ops",
                 "--disable-ops", "--pull", "--build", "--no-start", "--help"):
        assert flag in result.stdout
