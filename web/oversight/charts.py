"""Charts drawn on the server as SVG (no script, no CDN, nothing to load): each is an image
with a title and a description a screen reader reads, every bar labelled with its figure in
text, and the same figures in the table beside it. The same SVG goes into the PDF.

Scales are percentages (0 to 100), so a chart never exaggerates a small difference."""
from dataclasses import dataclass

BAR = "#1d70b8"        # GOV.UK blue: 5.2:1 on white
EMPTY = "#b1b4b6"


@dataclass
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    shapes: list[dict]


def bars(chart_id: str, title: str, items: list[tuple[str, int | None, str]]) -> Chart:
    """Horizontal bars, one per item: (label, percent or None for nothing due, figure text)."""
    label_width, bar_width, row = 330, 300, 30
    shapes = [{"kind": "axis", "x1": label_width, "y1": 4, "x2": label_width, "y2": 8 + row * len(items)}]
    for i, (label, percent, figure) in enumerate(items):
        y = 8 + i * row
        shapes.append({"kind": "label", "x": label_width - 8, "y": y + 18, "anchor": "end",
                       "text": label if len(label) <= 48 else label[:46] + "…"})
        width = 0 if percent is None else round(bar_width * percent / 100)
        shapes.append({"kind": "bar", "x": label_width, "y": y + 4, "width": max(width, 1),
                       "height": row - 10, "fill": BAR if percent else EMPTY, "tip": f"{label}: {figure}"})
        shapes.append({"kind": "label", "x": label_width + width + 6, "y": y + 18, "anchor": "start",
                       "text": figure})
    description = "; ".join(f"{label}: {figure}" for label, _, figure in items) or "Nothing to show."
    return Chart(chart_id, title, description, label_width + bar_width + 170, 16 + row * len(items), shapes)


def columns(chart_id: str, title: str, items: list[tuple[str, int | None, str]]) -> Chart:
    """Vertical columns over time, one per item: (month, percent or None, figure text)."""
    step, top, height = 64, 24, 160
    shapes = [{"kind": "axis", "x1": 8, "y1": top + height, "x2": 8 + step * len(items), "y2": top + height}]
    for i, (label, percent, figure) in enumerate(items):
        x = 12 + i * step
        size = 0 if percent is None else round(height * percent / 100)
        shapes.append({"kind": "bar", "x": x + 8, "y": top + height - max(size, 1), "width": step - 24,
                       "height": max(size, 1), "fill": BAR if percent else EMPTY, "tip": f"{label}: {figure}"})
        shapes.append({"kind": "label", "x": x + step // 2 - 4, "y": top + height - size - 6, "anchor": "middle",
                       "text": "–" if percent is None else f"{percent}%"})
        shapes.append({"kind": "label", "x": x + step // 2 - 4, "y": top + height + 18, "anchor": "middle",
                       "text": label})
    description = "; ".join(f"{label}: {figure}" for label, _, figure in items) or "Nothing to show."
    return Chart(chart_id, title, description, 16 + step * len(items), top + height + 28, shapes)
