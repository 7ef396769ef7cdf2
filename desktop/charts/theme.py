"""Chart colours: the Okabe–Ito palette (distinguishable with every common colour-vision
deficiency), adapted to a light or dark window, plus the stage band colours.

Every mark also differs by symbol or line style, so no meaning rests on hue alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

# Okabe & Ito (2008), "Color Universal Design".
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#8C8C8C"

# One colour per v2 stage (``projections.vocabulary.STAGES`` names them; the titles come from
# there, never from here). Red flag and flare share vermillion's warmth but red flag is the
# darker, so the strip never reads a flare as an emergency or the reverse.
STAGE_COLORS: dict[str, str] = {
    "not_enough_data": GREY,
    "no_recent_data": "#C8C8C8",
    "red_flag": "#8B1A1A",
    "acute": REDDISH_PURPLE,
    "subacute": "#E3B5CF",
    "persistent": ORANGE,
    "flare": VERMILLION,
    "improving": SKY_BLUE,
    "final_stage": YELLOW,
    "recovered": BLUISH_GREEN,
}


@dataclass(frozen=True)
class ChartTheme:
    dark: bool
    background: QColor
    foreground: QColor
    muted: QColor
    grid_alpha: float
    band_alpha: int  # 0–255, stage bands behind the curves
    left: QColor  # the left leg
    right: QColor  # the right leg
    leg: QColor  # leg pain / the headline curve
    back: QColor
    median: QColor
    good: QColor
    warn: QColor
    flag: QColor
    accent: QColor

    def stage_color(self, stage: str) -> QColor:
        color = QColor(STAGE_COLORS.get(stage, GREY))
        color.setAlpha(self.band_alpha)
        return color

    def stage_strip_color(self, stage: str) -> QColor:
        """The stage strip's colour: opaque, it sits above the data, not behind it."""
        return QColor(STAGE_COLORS.get(stage, GREY))

    def with_alpha(self, color: QColor, alpha: int) -> QColor:
        c = QColor(color)
        c.setAlpha(alpha)
        return c


def chart_theme(palette: QPalette | None = None, *, dark: bool | None = None) -> ChartTheme:
    """The theme for PALETTE (default: the application's); DARK forces light or dark."""
    pal = palette or QApplication.palette()
    base = pal.color(QPalette.ColorRole.Base)
    text = pal.color(QPalette.ColorRole.Text)
    is_dark = base.lightness() < 128 if dark is None else dark
    if dark is not None:
        base = QColor("#1e2326") if dark else QColor("#ffffff")
        text = QColor("#e6e6e6") if dark else QColor("#202020")
    muted = QColor(text)
    muted.setAlpha(150)
    return ChartTheme(
        dark=is_dark,
        background=base,
        foreground=text,
        muted=muted,
        grid_alpha=0.18 if is_dark else 0.12,
        band_alpha=46 if is_dark else 34,
        left=QColor(SKY_BLUE if is_dark else BLUE),
        right=QColor(ORANGE),
        leg=QColor(VERMILLION if not is_dark else "#F07B3F"),
        back=QColor(SKY_BLUE if is_dark else BLUE),
        median=QColor(ORANGE),
        good=QColor(BLUISH_GREEN),
        warn=QColor(VERMILLION),
        flag=QColor(VERMILLION),
        accent=QColor(REDDISH_PURPLE),
    )


def side_color(theme: ChartTheme, side: str) -> QColor:
    return theme.right if side == "right" else theme.left
