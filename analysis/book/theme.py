"""One Altair theme and one offline renderer for every chart of the book."""

from __future__ import annotations

import hashlib
import html
import json
from typing import Any

import altair as alt

THEME_NAME = "complim"
RENDERER_NAME = "complim-offline"

OKABE_ITO: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
"""Okabe & Ito's colour-blind-safe palette, used for every categorical colour."""

FONT = "Helvetica, Arial, sans-serif"


def theme_config() -> dict[str, Any]:
    """The Vega-Lite config shared by every chart."""
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": 560, "continuousHeight": 340, "stroke": None},
            "range": {"category": list(OKABE_ITO)},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "grid": True, "gridOpacity": 0.4},
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "orient": "bottom", "columns": 3},
            "title": {"fontSize": 15, "anchor": "start"},
            "mark": {"color": OKABE_ITO[0]},
        }
    }


def _chart_id(spec: dict[str, Any]) -> str:
    """A deterministic element id for a chart, so rebuilds produce identical HTML."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()
    return f"vis-{digest[:16]}"


def offline_html(spec: dict[str, Any]) -> str:
    """HTML that draws ``spec`` with the page's own vegaEmbed (served from ``_static``)."""
    element_id = _chart_id(spec)
    label = html.escape(str(spec.get("description") or spec.get("title") or "Chart"), quote=True)
    payload = json.dumps(spec, sort_keys=True).replace("</", "<\\/")
    return (
        f'<div id="{element_id}" class="complim-chart" role="img" aria-label="{label}"></div>\n'
        "<script>(function(){var spec=" + payload + ";"
        "function draw(){vegaEmbed('#" + element_id + "',spec,"
        '{renderer:"svg",actions:{export:true,source:false,compiled:false,editor:false}})'
        ".catch(function(e){console.error(e);});}"
        "if(window.vegaEmbed){draw();}else{window.addEventListener('load',draw);}})();</script>"
    )


def offline_renderer(spec: dict[str, Any], **_: Any) -> dict[str, str]:
    """Altair renderer whose HTML loads nothing from the network."""
    return {"text/html": offline_html(spec), "text/plain": "<Altair chart>"}


def enable() -> None:
    """Register and switch on the book's theme and renderer (idempotent)."""
    alt.theme.register(THEME_NAME, enable=True)(theme_config)
    alt.renderers.register(RENDERER_NAME, offline_renderer)
    alt.renderers.enable(RENDERER_NAME)
    alt.data_transformers.disable_max_rows()
