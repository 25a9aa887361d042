"""Running `docker compose` for the agent: an argument list (never a shell string), in the
configured project directory, with a timeout, and without the agent's token in the
child's environment."""
from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass

MAX_OUTPUT_CHARS = 64_000
SCRUBBED_ENV = ("OPS_AGENT_TOKEN", "ZAPDESK_OPS_AGENT_TOKEN", "ZAPDESK_METRICS_TOKEN",
                "ZAPDESK_SECRET_KEY")


@dataclass
class RunResult:
    argv: list[str]
    exit_code: int | None
    output: str
    duration_s: float
    timed_out: bool = False

    def as_dict(self) -> dict:
        return {"argv": self.argv, "exit_code": self.exit_code, "output": self.output,
                "duration_s": self.duration_s, "timed_out": self.timed_out,
                "ok": self.exit_code == 0 and not self.timed_out}


def child_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}


def tail(text: str) -> str:
    return text if len(text) <= MAX_OUTPUT_CHARS else "…" + text[-MAX_OUTPUT_CHARS:]


def run_compose(docker: str, project_dir: str, args: list[str], timeout_s: float) -> RunResult:
    argv = [docker, "compose", "--ansi", "never", "--project-directory", project_dir, *args]
    started = time.monotonic()
    try:
        done = subprocess.run(argv, cwd=project_dir, env=child_env(), stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout_s, text=True, errors="replace", check=False)
    except subprocess.TimeoutExpired as exc:
        partial = exc.output.decode(errors="replace") if isinstance(exc.output, bytes) else (exc.output or "")
        return RunResult(argv, None, tail(partial), round(time.monotonic() - started, 2), timed_out=True)
    except OSError as exc:
        return RunResult(argv, None, f"cannot run {docker}: {exc.strerror}", 0.0)
    return RunResult(argv, done.returncode, tail(done.stdout), round(time.monotonic() - started, 2))
