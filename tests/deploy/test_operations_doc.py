"""docs/operations.md is the runbook for this implementation: every section of the seed
runbook is there, and every command, flag and page it names exists."""
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from zapdesk.cli import cli, load_plugin_commands

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs/operations.md").read_text()
SEED_SECTIONS = ["1) Day-0 deployment", "2) Installer behavior (idempotent operations)",
                 "3) Standard day-2 workflows", "4) Backup strategy", "5) Restore strategy",
                 "6) Upgrade strategy", "7) Operational observability", "8) Troubleshooting matrix",
                 "9) Emergency operations checklist"]
SEED_TROUBLES = ["Setup redirects never end", "External node tests fail", "Jobs remain pending",
                 "Report generation fails", "Ops actions unavailable"]
GROUPS = {"node", "user", "db", "scan", "target", "profile", "project"}


def zapdesk_invocations() -> list[list[str]]:
    """Each `zapdesk …` command line in the doc, cut at the first placeholder or pipe."""
    found = []
    joined = re.sub(r"\\\n\s*", " ", DOC)  # shell line continuations
    for match in re.finditer(r"zapdesk ((?:[a-z][a-z-]*)(?: [^`\n|;&>)]*)?)", joined):
        words = match.group(1).split()
        if words[0] in {"run", "smoke", "doctor", "backup", "restore", "upgrade-check", "report", "user",
                        "node", "db", "scan", "target", "profile", "project"}:
            found.append(words)
    return found


def test_every_seed_section_and_trouble_is_covered():
    for title in SEED_SECTIONS:
        assert f"## {title}" in DOC, title
    for trouble in SEED_TROUBLES:
        assert f"### {trouble}" in DOC, trouble
    assert "Celery" not in DOC and "Django" not in DOC


def test_every_zapdesk_command_and_flag_exists():
    load_plugin_commands()
    invocations = zapdesk_invocations()
    assert len(invocations) > 20
    runner = CliRunner()
    for words in invocations:
        path = words[:2] if words[0] in GROUPS and len(words) > 1 and not words[1].startswith("-") else words[:1]
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, f"zapdesk {' '.join(path)}: {result.output}"
        for flag in (w.split("=")[0] for w in words if w.startswith("--")):
            assert flag in result.output, f"zapdesk {' '.join(path)} has no {flag}"


def test_every_installer_flag_exists():
    help_text = subprocess.run(["bash", str(REPO / "scripts/install.sh"), "--help"], capture_output=True,
                               text=True, timeout=30).stdout
    for line in re.findall(r"scripts/install\.sh[^`\n]*", DOC):
        for flag in re.findall(r"(--[a-z-]+)", line):
            assert flag in help_text, flag


def test_every_page_exists(app):
    rules = {re.sub(r"<[^>]+>", "<id>", rule.rule) for rule in app.url_map.iter_rules()}
    pages = set(re.findall(r"`(/(?:ops|zapnodes|profiles|scans|reports|targets|findings|projects|health|metrics|setup)[^`\s]*)`", DOC))
    assert pages
    for page in pages:
        normal = re.sub(r"<[^>]+>", "<id>", page.split(" ")[0])
        assert normal in rules or normal.rstrip("/") + "/" in rules or normal.startswith("/ops/rq"), page


@pytest.mark.parametrize("service", ["nginx", "web", "worker", "scheduler", "pdf", "ops", "zap", "db", "redis", "migrate"])
def test_every_compose_service_named_in_the_doc_exists(service):
    compose = (REPO / "docker-compose.yml").read_text()
    assert f"\n  {service}:\n" in compose and f"`{service}`" in DOC
