"""The what-if chart that recomputes in the reader's browser: every assumption is a control.

The page ships, per functional form, the posterior draws of one series' line (intercept, slope,
time trend) paired row by row with draws of the cost factors, exactly as
:meth:`analysis.projection.costs.CostModel.cost_draws` pairs them (same seed, same rows): the
price of compute under both price bases and the energy efficiency, each as a per-draw line in
the year, the PUE as a position between its bounds, and the grid carbon intensity drawn from
both pools. Vega-Lite expressions turn the controls (target error, projection year,
utilisation, price basis, PUE bounds, carbon source or a fixed intensity, and the study's own
constants as the "as published" costing) into compute, dollars and tonnes of CO2e per draw, and
its quantile transform into the median and the central interval shown. With the controls at
their defaults the chart shows the book's projection; a button sets them back, another switches
to the study's constants.

Part of the book stage.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import altair as alt
import numpy as np
import pandas as pd

from analysis.book import labels
from analysis.book.theme import FORM_COLOURS, _sup_expr, log10_axis
from analysis.projection.assumptions import CARBON_SOURCES, PRICE_BASES
from analysis.vocab.measures import JOULES_PER_KWH

if TYPE_CHECKING:
    from analysis.projection.inputs import BookInputs

BASE_YEAR = 2020.0
"""Year at which the shipped price and efficiency lines are anchored."""
SINCE = f"(year - {BASE_YEAR})"
YEARS = (2012, 2030)
"""Range of the projection-year control."""
PRICE_NAMES = {"cloud_on_demand": "cloud rental", "purchase": "purchase, amortised"}
CARBON_NAMES = {"mlco2_regions": "cloud regions", "world_mix": "world mix", "fixed": "fixed value"}
NEVER = 1e300
"""Stands for +inf (a draw that never reaches the target): JSON has no infinity."""
DIGITS = 5


def _round(values: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(values, dtype=float), DIGITS)


def whatif_draws(inputs: BookInputs, series: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The shipped draws (one row per form and posterior draw) and the defaults of the controls."""
    from analysis.projection.cost_inputs import carbon_intensity_pool
    from analysis.projection.costs import build_cost_model

    a = inputs.assumptions
    measure = inputs.measure
    models = {a.price_basis: inputs.cost_model}
    for basis in PRICE_BASES:
        if basis not in models:
            models[basis] = build_cost_model(a.with_changes(price_basis=basis))
    frames = []
    for form in ("polynomial", "exponential"):
        for post in inputs.posteriors(form, [series]):
            n = len(post.draws)
            row: dict[str, Any] = {"form": form}
            draws = post.draws
            row["i"] = _round(draws["intercept"])
            row["s"] = _round(draws["slope"])
            trend = draws["trend"] if post.has_trend else np.zeros(n)
            row["t"] = _round(trend)
            row["w"] = post.wrong_sign.astype(int)
            base = inputs.cost_model.factor_draws(n, BASE_YEAR, measure, a.seed)
            later = inputs.cost_model.factor_draws(n, BASE_YEAR + 1, measure, a.seed)
            row["e"] = _round(base["log10_flop_per_joule"])
            row["es"] = _round(later["log10_flop_per_joule"] - base["log10_flop_per_joule"])
            span = a.pue_high - a.pue_low
            row["u"] = _round((base["pue"] - a.pue_low) / span if span > 0 else np.zeros(n))
            for basis, model in models.items():
                b0 = model.factor_draws(n, BASE_YEAR, measure, a.seed)["log10_flop_per_usd"]
                b1 = model.factor_draws(n, BASE_YEAR + 1, measure, a.seed)["log10_flop_per_usd"]
                row[f"p_{basis}"] = _round(b0)
                row[f"ps_{basis}"] = _round(b1 - b0)
            for source in CARBON_SOURCES:
                if source == "fixed":
                    continue
                if source == a.carbon_source:
                    values = base["g_co2e_per_kwh"].to_numpy()
                else:
                    pool, weights = carbon_intensity_pool(a.with_changes(carbon_source=source))
                    rng = np.random.default_rng(a.seed)
                    values = rng.choice(pool, size=n, p=weights)
                row[f"c_{source}"] = _round(values)
            frame = pd.DataFrame(row)
            frame.insert(1, "x0", post.x0)
            frame.insert(2, "y0", post.year0 if post.year0 is not None else a.year)
            frames.append(frame)
    if not frames:
        raise ValueError(f"no posterior draws of {series!r} to ship")
    draws = pd.concat(frames, ignore_index=True)
    target = float(a.targets[series][0]) if series in a.targets else float(inputs.today[series])
    defaults = {
        "target": target,
        "year": float(a.year),
        "utilisation": (
            a.utilisation_mean if inputs.cost_model.utilisation_applies(measure) else 1.0
        ),
        "basis": a.price_basis,
        "pue_low": a.pue_low,
        "pue_high": a.pue_high,
        "carbon": a.carbon_source,
        "fixed_g": a.fixed_g_per_kwh,
        "costing": "book",
    }
    return draws, defaults


def value_text_expr(field: str, unit: str = "") -> str:
    """Vega expression: log10 value ``field`` as ``2.5×10²³ unit`` ('never' for +inf)."""
    v = f"datum.{field}"
    exponent = f"floor({v})"
    mantissa = f"pow(10, {v} - {exponent})"
    return (
        f"{v} > 1e200 ? 'never' : (!isFinite({v}) ? '0' : "
        f"format({mantissa}, '.2r') + '×10' + {_sup_expr(exponent)}) + '{unit}'"
    )


def whatif_chart(
    draws: pd.DataFrame,
    defaults: dict[str, Any],
    *,
    series: str,
    today: float,
    lowest: float,
    interval: float,
    power_fraction_of_tdp: float,
    published_flop_per_usd: float,
    published_flop_per_lb_co2e: float,
    kg_per_lb: float,
) -> alt.VConcatChart:
    """The chart: controls, a table of median (interval) per form and quantity, interval bars."""
    step = 0.1
    name = labels.series_name(series)
    params = {
        "target": alt.param(name="target", value=defaults["target"], bind=alt.binding_range(
            min=lowest, max=round(today, 1), step=step, name=f"Target: {name} ")),
        "year": alt.param(name="year", value=defaults["year"], bind=alt.binding_range(
            min=YEARS[0], max=YEARS[1], step=1, name="Year of the training run ")),
        "utilisation": alt.param(name="utilisation", value=defaults["utilisation"],
            bind=alt.binding_range(min=0.1, max=1.0, step=0.01,
                                   name="Utilisation (achieved / peak FLOP/s) ")),
        "basis": alt.param(name="basis", value=defaults["basis"], bind=alt.binding_radio(
            options=list(PRICE_BASES), labels=[PRICE_NAMES[b] for b in PRICE_BASES],
            name="Price of compute: ")),
        "pue_low": alt.param(name="pue_low", value=defaults["pue_low"], bind=alt.binding_range(
            min=1.0, max=2.0, step=0.01, name="PUE, low end ")),
        "pue_high": alt.param(name="pue_high", value=defaults["pue_high"], bind=alt.binding_range(
            min=1.0, max=2.0, step=0.01, name="PUE, high end ")),
        "carbon": alt.param(name="carbon", value=defaults["carbon"], bind=alt.binding_radio(
            options=list(CARBON_SOURCES), labels=[CARBON_NAMES[c] for c in CARBON_SOURCES],
            name="Grid carbon intensity: ")),
        "fixed_g": alt.param(name="fixed_g", value=defaults["fixed_g"], bind=alt.binding_range(
            min=0, max=1000, step=1, name="Fixed intensity (g CO2e/kWh) ")),
        "costing": alt.param(name="costing", value=defaults["costing"], bind=alt.binding_radio(
            options=["book", "study"],
            labels=["this book's cost model", "the study's constants (as published)"],
            name="Dollars and CO2e from: ")),
    }  # fmt: skip
    lo, hi = (1 - interval) / 2, 1 - (1 - interval) / 2
    kwh = math.log10(power_fraction_of_tdp / JOULES_PER_KWH)
    usd_study = math.log10(published_flop_per_usd)
    co2_study = math.log10(kg_per_lb / 1000.0) - math.log10(published_flop_per_lb_co2e)
    quantity_names = {
        "flop": "Compute (FLOP)",
        "usd": "Cost (US$)",
        "co2": "Emissions (t CO2e)",
    }
    base = (
        alt.Chart(draws)
        .transform_calculate(
            r="datum.form == 'polynomial' ? log(target) / LN10 : target",
            icpt="datum.i + datum.t * (year - datum.y0)",
            flop=f"(datum.w == 1 || datum.s >= 0) ? {NEVER} : "
            "max(-1e300, min(1e300, datum.x0 + (datum.r - datum.icpt) / datum.s))",
        )
        .transform_calculate(
            chip="datum.flop - log(utilisation) / LN10",
            price=f"basis == 'purchase' ? datum.p_purchase + datum.ps_purchase * {SINCE} "
            f": datum.p_cloud_on_demand + datum.ps_cloud_on_demand * {SINCE}",
            eff=f"datum.e + datum.es * {SINCE}",
            pue="pue_low + datum.u * (pue_high - pue_low)",
            grams="carbon == 'fixed' ? fixed_g : (carbon == 'world_mix' ? datum.c_world_mix "
            ": datum.c_mlco2_regions)",
        )
        .transform_calculate(
            usd=f"datum.flop > 1e200 ? {NEVER} : (costing == 'study' ? datum.flop - {usd_study} "
            ": datum.chip - datum.price)",
            co2=f"datum.flop > 1e200 ? {NEVER} : (costing == 'study' ? datum.flop + {co2_study} "
            f": datum.chip - datum.eff + log(datum.pue) / LN10 + {kwh} "
            "+ log(datum.grams / 1000) / LN10 - 3)",
        )
        .transform_fold(["flop", "usd", "co2"], as_=["quantity", "value"])
        .transform_quantile("value", probs=[lo, 0.5, hi], groupby=["form", "quantity"])
        .transform_calculate(
            stat="datum.prob < 0.5 - 1e-9 ? 'lo' : (datum.prob > 0.5 + 1e-9 ? 'hi' : 'mid')"
        )
        .transform_pivot("stat", value="value", groupby=["form", "quantity"])
        .transform_calculate(
            quantity_name="datum.quantity == 'flop' ? '{flop}' : (datum.quantity == 'usd' ? "
            "'{usd}' : '{co2}')".format(**quantity_names),
            mid_text=value_text_expr("mid", ""),
            lo_text=value_text_expr("lo", ""),
            hi_text=value_text_expr("hi", ""),
        )
        .transform_calculate(
            text="datum.mid_text + ' (' + datum.lo_text + '–' + datum.hi_text + ')'"
        )
    )
    order = list(quantity_names.values())
    table = base.mark_text(align="center", fontSize=13).encode(
        y=alt.Y("quantity_name:N", title=None, sort=order, axis=alt.Axis(labelFontWeight="bold")),
        x=alt.X("form:N", title=None, sort=list(FORM_COLOURS),
                axis=alt.Axis(orient="top", labelFontWeight="bold", labelAngle=0)),
        text="text:N",
    ).properties(width=500, height=110)  # fmt: skip
    colour = alt.Color(
        "form:N",
        title=labels.COLUMN_LABELS["form"],
        scale=alt.Scale(domain=list(FORM_COLOURS), range=list(FORM_COLOURS.values())),
    )
    bars = []
    for key, title in quantity_names.items():
        one = base.transform_filter(f"datum.quantity == '{key}' && datum.hi < 1e200")
        bars.append(
            alt.layer(
                one.mark_rule(strokeWidth=3).encode(
                    x=alt.X("lo:Q", axis=log10_axis(title), scale=alt.Scale(zero=False)),
                    x2="hi:Q",
                    y=alt.Y("form:N", title=None, sort=list(FORM_COLOURS)),
                    color=colour,
                ),
                one.mark_point(filled=True, size=80).encode(
                    x="mid:Q",
                    y=alt.Y("form:N", sort=list(FORM_COLOURS)),
                    color=colour,
                    tooltip=[
                        alt.Tooltip("form:N"),
                        alt.Tooltip("quantity_name:N", title="Quantity"),
                        alt.Tooltip("text:N", title="Median (interval)"),
                    ],
                ),
            ).properties(width=440, height=50)
        )
    chart = alt.vconcat(table, *bars).add_params(*params.values())
    return chart.properties(
        usermeta={
            "complim_presets": {
                "This book's assumptions": defaults,
                "As published (the study's constants)": {**defaults, "costing": "study"},
            }
        }
    )


def publish_whatif(
    inputs: BookInputs, series: str, label: str = "fig-whatif-imagenet"
) -> pd.DataFrame:
    """Ship the draws of ``series``, publish the recomputing chart under ``label``; the draws."""
    from analysis.book.figures import publish_figure

    a = inputs.assumptions
    draws, defaults = whatif_draws(inputs, series)
    today = float(inputs.today[series])
    chart = whatif_chart(
        draws,
        defaults,
        series=series,
        today=today,
        lowest=max(0.1, round(min(a.targets.get(series, (today / 4,))) / 2, 1)),
        interval=a.interval,
        power_fraction_of_tdp=a.power_fraction_of_tdp,
        published_flop_per_usd=a.published_flop_per_usd,
        published_flop_per_lb_co2e=a.published_flop_per_lb_co2e,
        kg_per_lb=a.kg_per_lb,
    )
    name = labels.series_name(series)
    publish_figure(
        chart,
        label,
        draws,
        alt_text=f"Interactive what-if for {name}: controls for the target error, the year of "
        "the training run, utilisation, the price basis, the PUE bounds, the grid carbon "
        "intensity and the costing (this book's cost model or the study's constants). A table "
        "gives the median and central interval of compute, US dollars and tonnes of CO2e for "
        "the polynomial and exponential forms, recomputed in the page from the posterior "
        "draws; three panels draw the same intervals on log scales.",
    )
    return draws
