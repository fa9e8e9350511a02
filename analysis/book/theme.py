"""One Altair theme and one offline renderer for every chart of the book.

Every chart passes through :func:`readable` on its way to the page and to its exported files:
log axes get powers-of-ten tick labels (``10¹⁸``, never ``1e+18``), ids in legends, axes, facet
headers, tooltips and titles become the names of :mod:`analysis.book.labels`, and forms, tasks
and series get the one colour each has across the book.
"""

from __future__ import annotations

import copy
import hashlib
import html
import json
from typing import Any

import altair as alt

from analysis.book import labels

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

FORM_COLOURS: dict[str, str] = {"polynomial": OKABE_ITO[0], "exponential": OKABE_ITO[5]}
"""One colour per functional form, the same in every chart."""

TASK_COLOURS: dict[str, str] = {
    "image_classification": "#0072B2",
    "object_detection": "#E69F00",
    "question_answering": "#009E73",
    "named_entity_recognition": "#CC79A7",
    "machine_translation": "#56B4E9",
    "speech_recognition": "#D55E00",
    "face_detection": "#999999",
    "image_generation": "#000000",
    "pose_estimation": "#882255",
}
"""One colour per task, the same in every chart (Okabe & Ito, then grey and Tol's wine)."""

SERIES_EXTRA: tuple[str, ...] = ("#44AA99", "#AA4499", "#DDCC77", "#117733", "#332288", "#88CCEE")
"""Colours for a task's second and later series (after the task's own colour)."""


def series_colours(series: list[str]) -> dict[str, str]:
    """A colour for each series: the first series of a task its task's colour, then others.

    The assignment depends only on the set of series (sorted), so a series keeps its colour in
    every chart that shows the same set.
    """
    from analysis.vocab.tasks import PRIMARY_BENCHMARKS

    out: dict[str, str] = {}
    used: set[str] = set()
    spare = [c for c in (*OKABE_ITO, *SERIES_EXTRA) if c not in TASK_COLOURS.values()]
    spare += [c for c in TASK_COLOURS.values()]
    for s in sorted(series):
        bench = PRIMARY_BENCHMARKS.get(s.partition("/")[0])
        colour = TASK_COLOURS.get(bench.task) if bench else None
        if colour is None or colour in used:
            colour = next((c for c in spare if c not in used), OKABE_ITO[len(out) % 8])
        used.add(colour)
        out[s] = colour
    return out


def theme_config() -> dict[str, Any]:
    """The Vega-Lite config shared by every chart."""
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": 560, "continuousHeight": 340, "stroke": None},
            "range": {"category": list(OKABE_ITO)},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "grid": True, "gridOpacity": 0.4},
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "orient": "bottom",
                "columns": 2,
                "labelLimit": 360,
            },
            "header": {"labelFontSize": 12, "labelLimit": 300},
            "title": {"fontSize": 15, "anchor": "start"},
            "mark": {"color": OKABE_ITO[0]},
        }
    }


# --- the readable pass ------------------------------------------------------------------------

_SUPERSCRIPTS = dict(zip("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻", strict=True))


def superscript(text: str) -> str:
    """Digits and minus signs as Unicode superscripts: ``'-18'`` -> ``'⁻¹⁸'``."""
    return "".join(_SUPERSCRIPTS.get(c, c) for c in text.replace("−", "-"))


def power_of_ten_label(value: float) -> str:
    """The tick label of one value on a log axis, as :data:`LOG_AXIS_LABEL_EXPR` writes it."""
    import math

    if value <= 0:
        return ""
    exponent = math.log10(value)
    if 1e-2 <= value < 1e4:
        return f"{value:g}"
    if abs(exponent - round(exponent)) < 1e-6:
        return "10" + superscript(str(round(exponent)))
    floor = math.floor(exponent + 1e-9)
    return f"{value / 10**floor:.0f}×10" + superscript(str(floor))


def _sup_expr(number: str) -> str:
    """A Vega expression writing the integer expression ``number`` in superscript digits."""
    text = f"toString({number})"
    for digit, sup in _SUPERSCRIPTS.items():
        text = f"replace({text}, regexp('{digit}', 'g'), '{sup}')"
    return text


_LOG = "(log(datum.value) / LN10)"
_ROUND = f"round({_LOG})"
_FLOOR = f"floor({_LOG} + 1e-9)"
LOG_AXIS_LABEL_EXPR = (
    f"(datum.value >= 1e4 || datum.value < 1e-2) ? "
    f"(abs({_LOG} - {_ROUND}) < 1e-6 ? '10' + {_sup_expr(_ROUND)} : "
    f"(datum.label == '' ? '' : format(datum.value / pow(10, {_FLOOR}), '.0f') + '×10' + "
    f"{_sup_expr(_FLOOR)})) : (datum.label == '' ? '' : format(datum.value, '~g'))"
)
"""Tick labels of a log axis: powers of ten as ``10¹⁸`` (and ``2×10¹⁸`` between them) for large
and small numbers, plain numbers between 0.01 and 10 000; Vega's thinning of log ticks is kept."""

LOG10_VALUE_LABEL_EXPR = (
    f"abs(datum.value - round(datum.value)) < 1e-6 ? '10' + {_sup_expr('round(datum.value)')} : ''"
)
"""Tick labels of a linear axis whose values are log10 of a quantity: ``23`` -> ``10²³``."""


def log10_axis(title: str, **kwargs: Any) -> alt.Axis:
    """An axis for log10 values on a linear scale, labelled as powers of ten at whole numbers."""
    return alt.Axis(title=title, labelExpr=LOG10_VALUE_LABEL_EXPR, tickMinStep=1, **kwargs)


_POSITION = ("x", "y", "x2", "y2")
_LEGEND = ("color", "fill", "stroke", "shape", "strokeDash", "opacity", "size")
_HEADER = ("row", "column", "facet")
_COLOURED = ("color", "fill", "stroke")


def _dataset_values(spec: dict[str, Any], field: str) -> list[str]:
    """Every string value of ``field`` in the spec's inline data (named datasets and values)."""
    found: set[str] = set()

    def rows(node: Any):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("datasets",) and isinstance(value, dict):
                    for table in value.values():
                        yield from table if isinstance(table, list) else ()
                elif key == "values" and isinstance(value, list):
                    yield from value
                else:
                    yield from rows(value)
        elif isinstance(node, list):
            for item in node:
                yield from rows(item)

    for row in rows(spec):
        if isinstance(row, dict) and isinstance(row.get(field), str):
            found.add(row[field])
    return sorted(found)


def _label_expr(mapping: dict[str, str]) -> str:
    table = json.dumps(mapping, ensure_ascii=False, sort_keys=True)
    # datum.value, not datum.label: Vega-Lite pastes a header's datum.label in unbracketed
    return f"({table})[datum.value] || ('' + datum.value)"


def _colour_scale(field: str, values: list[str]) -> dict[str, Any] | None:
    if field == "form":
        table = FORM_COLOURS
    elif field == "task":
        table = TASK_COLOURS
    elif field == "series":
        table = series_colours(values)
    else:
        return None
    present = [v for v in values if v in table]
    if not present or len(present) != len(values):
        return None
    return {"domain": present, "range": [table[v] for v in present]}


def _relabel_channel(
    channel: str, enc: dict[str, Any], maps: dict[str, dict[str, str]], spec: dict[str, Any]
) -> None:
    field = enc.get("field")
    # Legends and headers only: a position title set on one layer but not another would be
    # joined by Vega-Lite ("Publication year, Year").
    titled = (*_LEGEND, *_HEADER)
    if isinstance(field, str) and channel in titled and field in labels.COLUMN_LABELS:
        enc.setdefault("title", labels.COLUMN_LABELS[field])
    if channel in _POSITION:
        scale = enc.get("scale") or {}
        axis = enc.get("axis", {})
        if scale.get("type") == "log" and axis is not None and "labelExpr" not in axis:
            axis = {k: v for k, v in axis.items() if k != "format"}
            enc["axis"] = {**axis, "labelExpr": LOG_AXIS_LABEL_EXPR}
    if (
        not isinstance(field, str)
        or field not in maps
        or enc.get("type")
        not in (
            "nominal",
            "ordinal",
            None,
        )
    ):
        return
    expr = _label_expr(maps[field])
    if channel in _POSITION and enc.get("axis", {}) is not None:
        enc["axis"] = {"labelExpr": expr, **(enc.get("axis") or {})}
    elif channel in _LEGEND and enc.get("legend", {}) is not None:
        enc["legend"] = {"labelExpr": expr, **(enc.get("legend") or {})}
    elif channel in _HEADER:
        enc["header"] = {"labelExpr": expr, **(enc.get("header") or {})}
    if channel in _COLOURED:
        scale = enc.get("scale") or {}
        if not {"domain", "range", "scheme"} & set(scale):
            colours = _colour_scale(field, sorted(maps[field]))
            if colours is not None:
                enc["scale"] = {**scale, **colours}


def _relabel_tooltip(unit: dict[str, Any], maps: dict[str, dict[str, str]]) -> None:
    """Tooltips show names: a labelled field is shown through a calculated ``<field>__name``."""
    tooltip = (unit.get("encoding") or {}).get("tooltip")
    items = tooltip if isinstance(tooltip, list) else [tooltip] if isinstance(tooltip, dict) else []
    added = []
    for item in items:
        field = item.get("field") if isinstance(item, dict) else None
        if isinstance(field, str) and field in maps:
            mapping = json.dumps(maps[field], ensure_ascii=False, sort_keys=True)
            item["field"] = f"{field}__name"
            item.setdefault("title", labels.COLUMN_LABELS.get(field, field))
            if f"{field}__name" not in added:
                added.append(f"{field}__name")
                unit.setdefault("transform", []).append(
                    {"calculate": f"({mapping})[datum.{field}] || datum.{field}",
                     "as": f"{field}__name"}
                )  # fmt: skip


def _walk(node: Any, maps: dict[str, dict[str, str]], spec: dict[str, Any]) -> None:
    if isinstance(node, dict):
        encoding = node.get("encoding")
        if isinstance(encoding, dict):
            for channel, enc in encoding.items():
                for one in enc if isinstance(enc, list) else [enc]:
                    if isinstance(one, dict) and channel != "tooltip":
                        _relabel_channel(channel, one, maps, spec)
            _relabel_tooltip(node, maps)
        facet = node.get("facet")
        if isinstance(facet, dict):
            if "field" in facet:
                _relabel_channel("facet", facet, maps, spec)
            else:
                for channel, enc in facet.items():
                    if isinstance(enc, dict):
                        _relabel_channel(channel, enc, maps, spec)
        for key, value in node.items():
            if key == "title" and isinstance(value, str):
                node[key] = labels.replace_ids(value)
            elif key == "title" and isinstance(value, dict) and isinstance(value.get("text"), str):
                value["text"] = labels.replace_ids(value["text"])
            elif key not in ("datasets", "data"):
                _walk(value, maps, spec)
    elif isinstance(node, list):
        for item in node:
            _walk(item, maps, spec)


def readable(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of a Vega-Lite spec as a reader should see it (see the module docstring).

    Ids in the labelled fields (series, measure, form, task, benchmark) are named from the label
    table, log axes get powers-of-ten labels, forms, tasks and series their colours. The data
    are left as they are, so filters, the exported CSV and the JSON spec keep the ids.
    """
    out = copy.deepcopy(spec)
    maps = {}
    for field in labels.VALUE_NAMERS:
        values = _dataset_values(out, field)
        if values:
            maps[field] = {v: str(labels.value_label(field, v)) for v in values}
    _walk(out, maps, out)
    return out


def _chart_id(spec: dict[str, Any]) -> str:
    """A deterministic element id for a chart, so rebuilds produce identical HTML."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()
    return f"vis-{digest[:16]}"


def _presets_html(element_id: str, presets: dict[str, dict[str, Any]]) -> tuple[str, str]:
    """Buttons that set a chart's parameters to named presets, and the script that wires them."""
    buttons = "".join(
        f'<button type="button" class="complim-preset" data-preset="{i}">{html.escape(name)}'
        "</button>"
        for i, name in enumerate(presets)
    )
    values = json.dumps(list(presets.values()), sort_keys=True).replace("</", "<\\/")
    script = (
        "var presets=" + values + ";"
        "document.querySelectorAll('#" + element_id + "-presets button').forEach(function(b){"
        "b.addEventListener('click',function(){var p=presets[+b.dataset.preset];"
        "Object.keys(p).forEach(function(k){view.signal(k,p[k]);});view.runAsync();});});"
    )
    html_text = f'<div class="complim-presets" id="{element_id}-presets">Set: {buttons}</div>\n'
    return html_text, script


def offline_html(spec: dict[str, Any]) -> str:
    """HTML that draws ``spec`` with the page's own vegaEmbed (served from ``_static``).

    A spec with ``usermeta.complim_presets`` (``{name: {parameter: value}}``) also gets one
    button per preset that sets the chart's parameters (the what-if chart's scenarios).
    """
    element_id = _chart_id(spec)
    label = html.escape(str(spec.get("description") or spec.get("title") or "Chart"), quote=True)
    payload = json.dumps(spec, sort_keys=True).replace("</", "<\\/")
    presets = (spec.get("usermeta") or {}).get("complim_presets")
    before, wire = _presets_html(element_id, presets) if presets else ("", "")
    return (
        before
        + f'<div id="{element_id}" class="complim-chart" role="img" aria-label="{label}"></div>\n'
        "<script>(function(){var spec=" + payload + ";"
        "function draw(){vegaEmbed('#" + element_id + "',spec,"
        '{renderer:"svg",actions:{export:true,source:false,compiled:false,editor:false}})'
        ".then(function(result){var view=result.view;" + wire + "})"
        ".catch(function(e){console.error(e);});}"
        "if(window.vegaEmbed){draw();}else{window.addEventListener('load',draw);}})();</script>"
    )


def offline_renderer(spec: dict[str, Any], **_: Any) -> dict[str, str]:
    """Altair renderer whose HTML loads nothing from the network (charts made readable)."""
    return {"text/html": offline_html(readable(spec)), "text/plain": "<Altair chart>"}


def enable() -> None:
    """Register and switch on the book's theme and renderer (idempotent)."""
    alt.theme.register(THEME_NAME, enable=True)(theme_config)
    alt.renderers.register(RENDERER_NAME, offline_renderer)
    alt.renderers.enable(RENDERER_NAME)
    alt.data_transformers.disable_max_rows()
