"""Colours read by everyone: text at 4.5:1 or more against what it is drawn on (WCAG 2.1 AA),
in the theme (``.streamlit/config.toml``) and in the charts' palette."""

import tomllib

import pytest

from coopplan.views import charts
from tests.helpers import ROOT

AA = 4.5
WHITE = "#FFFFFF"
SIDEBAR = "#F0F2F6"  # Streamlit's light theme's secondary background: the sidebar, code, inputs


def luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def faded(text: str, background: str, opacity: float = 0.6) -> str:
    """``text`` at ``opacity`` over ``background``: how Streamlit draws captions (fadedText60)."""
    mix = [
        round(
            opacity * int(text.lstrip("#")[i : i + 2], 16) + (1 - opacity) * int(background.lstrip("#")[i : i + 2], 16)
        )
        for i in (0, 2, 4)
    ]
    return "#" + "".join(f"{c:02X}" for c in mix)


def test_the_contrast_formula_gives_the_known_ratios():
    assert contrast("#000000", WHITE) == pytest.approx(21)
    assert contrast("#828180", WHITE) == pytest.approx(3.88, abs=0.01)  # the captions axe-core found too faint


THEME = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]


@pytest.mark.parametrize("background", [WHITE, SIDEBAR])
def test_the_themes_text_captions_and_links_read_at_aa(background):
    assert contrast(THEME["textColor"], background) >= AA
    assert contrast(faded(THEME["textColor"], background), background) >= AA
    assert contrast(THEME["linkColor"], background) >= AA
    assert contrast(THEME["primaryColor"], background) >= AA  # the selected language's label, links in buttons
    assert contrast(WHITE, THEME["primaryColor"]) >= AA  # a primary button's label


PALETTE = {
    **{f"status {s}": c for s, c in charts.STATUS_COLORS.items()},
    **{f"lead {lead}": c for lead, c in charts.LEAD_COLORS.items()},
    "overdue": charts.OVERDUE_COLOR,
    "approved period": charts.BASELINE_COLOR,
}


@pytest.mark.parametrize("name", PALETTE)
def test_every_chart_colour_reads_as_text_and_under_white_text(name):
    colour = PALETTE[name]
    assert contrast(colour, WHITE) >= AA  # statuses as labels in the tables, the «as of» date, legends
    assert contrast(WHITE, colour) >= AA  # numbers inside bars


def test_the_heat_maps_numbers_read_on_every_tile():
    for _, tile in charts.HEAT_SCALE:
        assert contrast(charts.HEAT_TEXT, tile) >= AA
    assert contrast(charts.FONT["color"], WHITE) >= AA
