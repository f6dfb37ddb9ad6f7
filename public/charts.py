"""SVG charts of the city's indicators (pygal), cached by their data."""

import hashlib
import re

import pygal
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pygal.style import Style

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#0b4f8a", "#c0392b", "#1e8449", "#7d3c98", "#b9770e"),
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=15,
    value_font_size=12,
)


def _config(**extra):
    # js=[]: pygal would otherwise load its tooltip script from a CDN.
    return dict(
        style=STYLE,
        js=[],
        width=720,
        height=360,
        show_dots=True,
        dots_size=4,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        print_values=True,
        margin=16,
        **extra,
    )


def _num(value):
    return None if value is None else float(value)


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _render(chart) -> str:
    # pygal embeds an inline <script> with its tooltip config: the CSP refuses inline scripts anyway.
    return _SCRIPT.sub("", chart.render(is_unicode=True, disable_xml_declaration=True))


def indicator_charts(indicators) -> dict[str, str]:
    """{'ranks': svg, 'percents': svg} for the given CityIndicator rows (ordered by year)."""
    fingerprint = "|".join(
        f"{i.year}:{i.par_index_rank}:{i.pci_rank}:{i.ict_rank}:{i.papi_rank}:{i.one_stop_percent}:"
        f"{i.on_time_percent}:{i.sipas_percent}:{i.par_index_score}"
        for i in indicators
    )
    key = "public:charts:" + hashlib.sha1(f"{fingerprint}|{get_language()}".encode()).hexdigest()
    cached = cache.get(key)
    if cached:
        return cached
    years = [str(i.year) for i in indicators]
    ranks = pygal.Line(
        **_config(
            inverse_y_axis=True, title=_("Thứ hạng của Hà Nội (1 là cao nhất)"), range=(1, 63), min_scale=4, max_scale=8
        )
    )
    ranks.x_labels = years
    ranks.add("PAR INDEX", [i.par_index_rank for i in indicators])
    ranks.add("PCI", [i.pci_rank for i in indicators])
    ranks.add("ICT Index", [i.ict_rank for i in indicators])
    if any(i.papi_rank for i in indicators):
        ranks.add("PAPI", [i.papi_rank for i in indicators])
    percents = pygal.Line(**_config(title=_("Tỷ lệ (%)"), range=(0, 100)))
    percents.x_labels = years
    percents.add(_("TTHC qua một cửa"), [_num(i.one_stop_percent) for i in indicators])
    percents.add(_("Hồ sơ đúng và trước hạn"), [_num(i.on_time_percent) for i in indicators])
    if any(i.sipas_percent for i in indicators):
        percents.add("SIPAS", [_num(i.sipas_percent) for i in indicators])
    charts = {"ranks": _render(ranks), "percents": _render(percents)}
    cache.set(key, charts, 60 * 60)
    return charts
