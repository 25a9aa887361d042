"""A server-rendered SVG line chart of a target's risk score and open findings over time.

Returns coordinates only; the template draws them, so every label is escaped by Jinja.
"""
from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_Y = 720, 220, 48, 16, 24
SERIES = (("High", "var(--high)"), ("Medium", "var(--medium)"), ("Low", "var(--low)"))


@dataclass
class Chart:
    width: int
    height: int
    risk_path: str
    series: list[tuple[str, str, str]]  # (name, colour, path)
    dots: list[dict]  # x, y, label for each scan
    max_score: float
    max_count: int
    baseline: float


def scale(values: list[float], top: float) -> list[float]:
    usable = HEIGHT - 2 * PAD_Y
    return [HEIGHT - PAD_Y - (v / top * usable if top else 0) for v in values]


def xs(count: int) -> list[float]:
    usable = WIDTH - PAD_LEFT - PAD_RIGHT
    if count == 1:
        return [PAD_LEFT + usable / 2]
    return [PAD_LEFT + i * usable / (count - 1) for i in range(count)]


def path(x: list[float], y: list[float]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{a:.1f},{b:.1f}" for i, (a, b) in enumerate(zip(x, y)))


def evolution_chart(points) -> Chart | None:
    if not points:
        return None
    x = xs(len(points))
    scores = [p.risk_score for p in points]
    max_score = max(scores) or 1.0
    max_count = max((p.counts.get(name, 0) for p in points for name, _ in SERIES), default=0) or 1
    risk_y = scale(scores, max_score)
    series = [(name, colour, path(x, scale([p.counts.get(name, 0) for p in points], max_count)))
              for name, colour in SERIES]
    dots = [{"x": round(a, 1), "y": round(b, 1), "label": f"scan {p.scan_id}: risk {p.risk_score:g}",
             "scan_id": p.scan_id} for a, b, p in zip(x, risk_y, points)]
    return Chart(WIDTH, HEIGHT, path(x, risk_y), series, dots, max_score, max_count, HEIGHT - PAD_Y)
