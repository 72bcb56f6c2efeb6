"""A timeline PNG of the plan's deadlines by month, coloured by this period's status (matplotlib, offline CJK font)."""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from knowledge.model import Plan
from supervision import texts as msg
from supervision.rounds import DONE, LAGGING, NEEDS_HELP, NO_REPLY, ON_TRACK, STATUS_ORDER

COLOURS: dict[str, str] = {
    DONE: "#2e7d32", ON_TRACK: "#1565c0", LAGGING: "#ef6c00", NEEDS_HELP: "#c62828", NO_REPLY: "#9e9e9e",
}
# Noto Sans CJK SC (SIL OFL) shipped by the pinned `mplfonts` wheel; the Debian font is the fallback.
_FONT_CANDIDATES = (
    "NotoSansCJKsc-Regular.otf",
)
_SYSTEM_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
TITLE_CHARS = 8  # box labels: number and the first characters of the title


@cache
def cjk_font() -> Path | None:
    """A font file that has Chinese glyphs, found without importing mplfonts (its import has side effects)."""
    spec = importlib.util.find_spec("mplfonts")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        for name in _FONT_CANDIDATES:
            path = Path(folder) / "fonts" / name
            if path.is_file():
                return path
    return next((p for p in _SYSTEM_FONTS if p.is_file()), None)


def _font(size: float) -> Any:
    """FontProperties of the CJK font (matplotlib's default when none is found) at `size` points."""
    from matplotlib.font_manager import FontProperties

    path = cjk_font()
    return FontProperties(fname=str(path), size=size) if path else FontProperties(size=size)


def timeline_png(plan: Plan, statuses: Mapping[int, str], period_label: str, *, dpi: int = 110) -> bytes:
    """Render the plan's due dates as boxes stacked per month, coloured by each task's status."""
    # Figure + Agg canvas, not pyplot: no global state, safe in the bot's worker threads.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle

    months: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for task in plan.tasks:
        for due in task.due_dates:
            months.setdefault((due.year, due.month), []).append((task.number, task.title))
    # The plan's own year month by month; other years only where they hold a deadline (no empty stretch).
    year = plan.year or (min(months)[0] if months else 2000)
    keys = sorted({*((year, m) for m in range(1, 13)), *months})
    tallest = max((len(v) for v in months.values()), default=1)
    fig = Figure(figsize=(max(8.0, 1.25 * len(keys)), max(4.0, 0.42 * tallest + 2.2)), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    small, label_font = _font(6.5), _font(8)
    for i, key in enumerate(keys):
        entries = sorted(months.get(key, []),
                         key=lambda e: (STATUS_ORDER.get(statuses.get(e[0], NO_REPLY), 9), e[0]))
        for j, (number, title) in enumerate(entries):
            status = statuses.get(number, NO_REPLY)
            ax.add_patch(Rectangle((i + 0.04, j + 0.06), 0.92, 0.88, color=COLOURS.get(status, "#9e9e9e")))
            ax.text(i + 0.5, j + 0.5, f"{number}. {title[:TITLE_CHARS]}", ha="center", va="center",
                    fontproperties=small, color="white", clip_on=True)
    ax.set_xlim(0, len(keys))
    ax.set_ylim(0, tallest + 0.3)
    ax.set_xticks([i + 0.5 for i in range(len(keys))])
    ax.set_xticklabels([
        msg.SV_MONTH.plain(month=mm) if yy == year else msg.SV_PERIOD_MONTH.plain(year=yy, month=mm)
        for yy, mm in keys
    ], fontproperties=label_font)
    ax.set_yticks(range(0, tallest + 1, max(1, tallest // 6 or 1)))
    ax.set_xlabel(msg.SV_TIMELINE_XLABEL, fontproperties=_font(10))
    ax.set_ylabel(msg.SV_TIMELINE_YLABEL, fontproperties=_font(10))
    ax.set_title(msg.SV_TIMELINE_TITLE.plain(title=plan.title, label=period_label), fontproperties=_font(11))
    if not months:
        ax.text(0.5, 0.5, msg.SV_TIMELINE_EMPTY, ha="center", va="center", transform=ax.transAxes,
                fontproperties=_font(12))
    ax.legend(handles=[Patch(color=c, label=s) for s, c in COLOURS.items()], loc="upper left", ncol=5,
              prop=label_font, frameon=False, bbox_to_anchor=(0, -0.12))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
