"""One row per claim of the study (Thompson et al. 2020, arXiv 2007.05558): its value, ours
with an interval, whether they agree, and why they differ.

Our side of each claim comes from the book's headline model, the stochastic frontier
(:class:`~analysis.projection.frontier_headline.FrontierHeadline`: its forms stacked by the
weights of the leave-future-out backtest); where the claim was evaluated before on the mean-line
scaling fits, that value is kept in a second column, ``mean_line``, so both can be read side by
side. The interview claims on the growth of training compute and on BERT-Large and the Evolved
Transformer are read from the dated training-compute records of ``data/compute.csv``.

Agreement rules (stated once, applied mechanically):

* a numeric claim *agrees* when the study's value lies inside our 90% interval;
* a claim stated as a range or a bound agrees when our interval overlaps the range / satisfies
  the bound;
* "partly" when only part of a compound claim holds; "n/a" when we cannot evaluate it.

R² values are ordinary least squares as in the study (one line per benchmark) with a bootstrap
interval over rows (fixed seed); everything else comes from the Bayesian fits and the cost model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.intervals import format_interval, format_power_of_ten, interval_of
from analysis.projection.assumptions import Assumptions
from analysis.projection.costs import CostModel, as_published, as_published_log10
from analysis.projection.extrapolate import (
    FitLike,
    SeriesPosterior,
    log10_compute_draws,
    log10_multiplier_draws,
)
from analysis.projection.frontier_headline import FrontierHeadline
from analysis.projection.inputs import BookInputs
from analysis.vocab.forms import Form, response
from analysis.vocab.series import IMAGENET

WMT_EN_DE = "wmt2014_en_de/bleu"
STUDY_PAPERS = 1058


STUDY_IMAGENET_R2 = 0.43
"""Share of ImageNet variance the study says compute explains (REFERENCE.md, quoted)."""
STUDY_IMAGENET_TREND_R2 = 0.12
"""Further share the study says a time trend explains (REFERENCE.md, quoted)."""


@dataclass(frozen=True)
class ReproductionInputs:
    """Everything the claims are evaluated on."""

    rows: pd.DataFrame  # fit-table rows of the headline compute measure
    fits: dict[str, FitLike]  # "polynomial", "exponential", "polynomial_trend"
    cost_model: CostModel
    today: pd.Series  # best error per series up to the study's date
    measure: str
    n_papers: int | None = None
    loo: pd.DataFrame | None = None  # per task: better, elpd_diff, se_diff (loo_from_fits)
    min_rows: int = 8
    seed: int = 2020
    notes: dict[str, str] = field(default_factory=dict)
    frontier: FrontierHeadline | None = None  # the headline frontier model's stacked draws
    compute: pd.DataFrame | None = None  # data/compute.csv
    papers: pd.DataFrame | None = None  # data/papers.csv (dates of the compute records)

    @property
    def assumptions(self) -> Assumptions:
        return self.cost_model.assumptions


@dataclass(frozen=True)
class Verdict:
    """Our side of one claim."""

    ours: str
    agree: str
    reason: str
    mean_line: str = ""
    """The mean-line scaling model's value, where the claim was evaluated on it before."""


@dataclass(frozen=True)
class Claim:
    """One claim of the study, where it is stated, and how we evaluate it."""

    key: str
    claim: str
    tag: str
    study: str
    evaluate: Callable[[ReproductionInputs], Verdict]


# --- helpers ----------------------------------------------------------------------------------


def ols_r2(frame: pd.DataFrame, form: Form, with_year: bool = False) -> float:
    """R² of the study-style OLS of the response on log10 compute (and year)."""
    y = response(form, frame["error"].to_numpy(dtype=float))
    columns = [np.ones(len(frame)), frame["log10_compute"].to_numpy(dtype=float)]
    if with_year:
        columns.append(frame["year"].to_numpy(dtype=float))
    X = np.column_stack(columns)
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    residual = y - X @ beta
    total = np.sum((y - y.mean()) ** 2)
    return float(1 - np.sum(residual**2) / total) if total > 0 else float("nan")


def ols_slope_p_value(frame: pd.DataFrame, form: Form) -> tuple[float, float]:
    """OLS slope on log10 compute and its two-sided p-value."""
    from scipy import stats

    result = stats.linregress(frame["log10_compute"], response(form, frame["error"]))
    return float(result.slope), float(result.pvalue)


def bootstrap(
    frame: pd.DataFrame, statistic: Callable[[pd.DataFrame], float], n: int = 500, seed: int = 2020
) -> np.ndarray:
    """Bootstrap replicates of a statistic over rows (fixed seed)."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(frame), size=(n, len(frame)))
    return np.array([statistic(frame.iloc[p]) for p in picks])


def _series_rows(inputs: ReproductionInputs) -> dict[str, pd.DataFrame]:
    groups = {str(s): g for s, g in inputs.rows.groupby("series")}
    return {s: g for s, g in groups.items() if len(g) >= inputs.min_rows}


def _posterior(inputs: ReproductionInputs, key: str, series: str) -> SeriesPosterior | None:
    fit = inputs.fits.get(key)
    if fit is None or series not in set(getattr(fit, "series", [series])):
        return None
    return SeriesPosterior.from_fit(fit, series, inputs.assumptions.max_draws)


# --- the claims -------------------------------------------------------------------------------


def _scope(inputs: ReproductionInputs) -> Verdict:
    if inputs.n_papers is None:
        return Verdict("not counted", "n/a", "paper count not supplied")
    agree = "yes" if inputs.n_papers >= STUDY_PAPERS else "no"
    return Verdict(
        f"{inputs.n_papers:,} papers",
        agree,
        "different corpus: public leaderboards and model zoos instead of the study's own arXiv "
        "search; the counts are of unique papers with at least one result or compute fact",
    )


def _r2_range(inputs: ReproductionInputs) -> Verdict:
    r2, significant = {}, []
    for series, frame in _series_rows(inputs).items():
        r2[series] = ols_r2(frame, "polynomial")
        slope, p = ols_slope_p_value(frame, "polynomial")
        significant.append(slope < 0 and p < 0.05)
    others = {s: v for s, v in r2.items() if s != WMT_EN_DE}
    if not others:
        return Verdict("too few rows", "n/a", f"no series with ≥ {inputs.min_rows} rows")
    lo, hi = min(others.values()), max(others.values())
    overlap = lo <= 0.68 and hi >= 0.29
    all_significant = all(significant)
    agree = "yes" if overlap and all_significant else ("partly" if overlap else "no")
    return Verdict(
        f"R² {lo:.2f}–{hi:.2f} over {len(others)} series; slope significant (p < 0.05) in "
        f"{sum(significant)} of {len(significant)}",
        agree,
        f"compute measure {inputs.measure} and our rows (N per series differs from the study's)",
    )


def _imagenet_r2(inputs: ReproductionInputs) -> Verdict:
    frame = inputs.rows[inputs.rows["series"] == IMAGENET]
    if len(frame) < inputs.min_rows:
        return Verdict("too few rows", "n/a", "ImageNet has too few rows with this measure")
    base = bootstrap(frame, lambda f: ols_r2(f, "polynomial"), seed=inputs.seed)
    extra = bootstrap(
        frame,
        lambda f: ols_r2(f, "polynomial", True) - ols_r2(f, "polynomial"),
        seed=inputs.seed,
    )
    b, e = interval_of(base), interval_of(extra)
    agree_base = b[1] <= STUDY_IMAGENET_R2 <= b[2]
    agree_extra = e[1] <= STUDY_IMAGENET_TREND_R2 <= e[2]
    agree = (
        "yes" if agree_base and agree_extra else ("partly" if agree_base or agree_extra else "no")
    )
    return Verdict(
        f"R² {format_interval(*b, 2)}; time trend adds {format_interval(*e, 2)} (N = {len(frame)})",
        agree,
        "our ImageNet rows span more years and include library re-trainings; OLS as in the study",
    )


def _mean_line_years_per_10x(inputs: ReproductionInputs) -> Verdict:
    post = _posterior(inputs, "polynomial_trend", IMAGENET)
    if post is None or not post.has_trend:
        return Verdict("no trend fit", "n/a", "the polynomial fit with a time trend is missing")
    years = post.draws["slope"].to_numpy() / post.draws["trend"].to_numpy()
    m, lo, hi = interval_of(years)
    return Verdict(
        f"{format_interval(m, lo, hi, 1)} years per 10x compute",
        "yes" if lo <= 3 <= hi else "no",
        "Bayesian hierarchical fit with a time trend (partial pooling) instead of OLS",
    )


def _mean_line_polynomial_best(inputs: ReproductionInputs) -> Verdict:
    if inputs.loo is None or inputs.loo.empty:
        return Verdict("LOO not supplied", "n/a", "see the model chapters for PSIS-LOO")
    loo = inputs.loo
    polynomial = loo[loo["better"] == "polynomial"]
    clear = polynomial[polynomial["elpd_diff"] > 2 * polynomial["se_diff"]]
    share = len(polynomial) / len(loo)
    agree = "yes" if share > 0.5 and len(clear) > 0 else ("partly" if share > 0 else "no")
    return Verdict(
        f"polynomial better in {len(polynomial)} of {len(loo)} tasks "
        f"(by more than 2 SE in {len(clear)})",
        agree,
        "PSIS-LOO per task on the log10(error) scale (Jacobian for the exponential form) "
        "instead of R²",
    )


def _mean_line_imagenet_multiplier(inputs: ReproductionInputs) -> Verdict:
    today = inputs.today.get(IMAGENET)
    if today is None or not np.isfinite(today):
        return Verdict("no ImageNet best", "n/a", "no ImageNet result before the study's date")
    summaries = {}
    for form in ("polynomial", "exponential"):
        post = _posterior(inputs, form, IMAGENET)
        if post is not None:
            summaries[form] = interval_of(log10_multiplier_draws(post, today, 5.0))
    if not summaries:
        return Verdict("no fits", "n/a", "ImageNet not in the fits")
    optimistic = min(summaries, key=lambda f: summaries[f][0])
    _, lo, hi = summaries[optimistic]
    text = "; ".join(f"{f}: {format_power_of_ten(*s)}" for f, s in summaries.items())
    return Verdict(
        f"{text} (from today's best {today:.1f}%)",
        "yes" if lo <= 5 <= hi else "no",
        f"the more optimistic form here is {optimistic}; slopes from the hierarchical fit of "
        f"{inputs.measure}",
    )


def _mean_line_ninth_power(inputs: ReproductionInputs) -> Verdict:
    post = _posterior(inputs, "polynomial", IMAGENET)
    if post is None:
        return Verdict("no fit", "n/a", "ImageNet not in the polynomial fit")
    slope = post.draws["slope"].to_numpy()
    power = np.where(slope < 0, -1 / slope, np.inf)
    halving = np.where(slope < 0, np.log10(2) * power, np.inf)
    p, h = interval_of(power), interval_of(halving)
    at_least_nine = p[1] >= 9
    over_500 = h[1] >= np.log10(500)
    agree = "yes" if at_least_nine and over_500 else ("partly" if p[2] >= 9 else "no")
    return Verdict(
        f"ImageNet: compute ∝ improvement^{format_interval(*p, 1)}; "
        f"halving the error needs {format_power_of_ten(*h)}x",
        agree,
        "agreement requires the whole 90% interval at or above the ninth power",
    )


def _mean_line_cost_and_carbon(inputs: ReproductionInputs) -> Verdict:
    post = _posterior(inputs, "polynomial", IMAGENET)
    if post is None:
        return Verdict("no fit", "n/a", "ImageNet not in the polynomial fit")
    a = inputs.assumptions
    compute = log10_compute_draws(post, 5.0, year=a.year, seed=a.seed)
    draws = inputs.cost_model.cost_draws(compute, a.year, inputs.measure, a.seed)
    published = as_published_log10(compute, a)
    usd = interval_of(draws["log10_usd"].to_numpy())
    usd_published = interval_of(published["log10_usd"].to_numpy())
    nyc_month_t = a.comparisons["new_york_city_t_co2_per_year"].value / 12
    months = interval_of(draws["log10_kg_co2e"].to_numpy() - 3.0 - np.log10(nyc_month_t))
    agree_usd = usd[1] <= 11 <= usd[2] or usd_published[1] <= 11 <= usd_published[2]
    agree_co2 = months[1] <= 0 <= months[2]
    agree = "yes" if agree_usd and agree_co2 else ("partly" if agree_usd or agree_co2 else "no")
    return Verdict(
        f"US$ {format_power_of_ten(*usd)} "
        f"(study's constants: {format_power_of_ten(*usd_published)}); "
        f"CO2e {format_power_of_ten(*months)} NYC-months",
        agree,
        f"hardware prices, efficiency and grid carbon of {int(a.year)} with uncertainty "
        "instead of one constant; compute from our fit",
    )


def _today_values(inputs: ReproductionInputs) -> Verdict:
    parts, agree = [], []
    for series, value in inputs.assumptions.study_today.items():
        ours = inputs.today.get(series)
        if ours is None or not np.isfinite(ours):
            parts.append(f"{series}: none")
            continue
        parts.append(f"{series.split('/')[0]} {ours:.1f} (study {value:g})")
        agree.append(abs(ours - value) <= 0.5)
    if not agree:
        return Verdict("no results", "n/a", "no results before the study's date")
    verdict = "yes" if all(agree) else ("partly" if any(agree) else "no")
    if inputs.frontier is not None:
        h = inputs.frontier
        name = h.series.split("/")[0]
        parts.append(f"frontier's {name} (papers' own results) {h.best_error:.1f}")
    return Verdict(
        "; ".join(parts),
        verdict,
        "best published error up to mid-2020 in our data (within 0.5 points counts as agreeing); "
        "the study's values are unconfirmed recollections",
    )


def _constants(inputs: ReproductionInputs) -> Verdict:
    a = inputs.assumptions
    row = as_published(np.log10(a.published_flop_per_usd), a).iloc[0]
    exact = np.isclose(row["usd"], 1.0, rtol=1e-12)
    ours = interval_of(inputs.cost_model.price.mean_at(a.year))
    return Verdict(
        f"as-published scenario reproduces them {'exactly' if exact else 'NOT exactly'}; our "
        f"{int(a.year)} FLOP per US$ {format_power_of_ten(*ours)}",
        "yes" if exact else "no",
        f"our price of compute is a trend fitted to {len(inputs.cost_model.price.data)} "
        f"{a.price_basis.replace('_', ' ')} prices ({a.precision} peak)",
    )


# --- the frontier headline ----------------------------------------------------------------------

STUDY_MULTIPLIER_5 = 5.0
"""log10 of the study's ImageNet 5% multiplier (10^5, REFERENCE.md)."""
STUDY_POWER = 9.0
"""The study's lower bound on the power of the improvement that compute grows with."""
STUDY_USD_5 = 11.0
"""log10 US$ of ImageNet 5% (about US$100 billion, Spectrum)."""
STUDY_ONE_PERCENT = 20.0
"""log10 of the interview's US$ and lb CO2e for ImageNet 1% (over 10^20 of each)."""
STUDY_COST_TODAY = (6.0, 8.0)
"""log10 US$ range of 'millions or tens of millions' of dollars (the interview's today)."""
STUDY_COST_NEXT = (8.0, 10.0)
"""log10 US$ range of 'hundreds of millions or billions' (the interview's next gains)."""


def bound_verdict(lo: float, hi: float, bound: float) -> str:
    """'yes' when the whole interval is at or above ``bound``, 'partly' when it straddles the
    bound, 'no' when it lies below."""
    if lo >= bound:
        return "yes"
    return "partly" if hi >= bound else "no"


def compound_verdict(parts: list[str]) -> str:
    """'yes' if every part agrees, 'no' if none does (or partly does), else 'partly'."""
    if parts and all(p == "yes" for p in parts):
        return "yes"
    return "no" if all(p == "no" for p in parts) else "partly"


def overlaps(lo: float, hi: float, low: float, high: float) -> bool:
    return lo <= high and hi >= low


def _frontier_text(h: FrontierHeadline, quantity: str, suffix: str = "") -> str:
    text = h.text(quantity)
    share = h.unreachable(quantity)
    if share > 0:
        text += f" (never reached in {100 * share:.0f}% of draws)"
    return text + suffix


def weights_text(h: FrontierHeadline) -> str:
    """The stacking weights in percent, per form."""
    return ", ".join(f"{form} {100 * w:.0f}%" for form, w in h.weights.items())


def _no_frontier(mean_line: Verdict) -> Verdict:
    return Verdict(
        "frontier headline not supplied",
        "n/a",
        "the reproduction was run without the frontier model",
        mean_line=mean_line.ours,
    )


def _mean_line_or_none(inputs: ReproductionInputs, evaluate: Callable) -> Verdict:
    try:
        return evaluate(inputs)
    except (KeyError, ValueError) as error:  # a mean-line fit or input is missing
        return Verdict(f"not evaluated ({error})", "n/a", "")


def _years_per_10x(inputs: ReproductionInputs) -> Verdict:
    mean_line = _mean_line_or_none(inputs, _mean_line_years_per_10x)
    h = inputs.frontier
    if h is None or "years-per-10x" not in h.stacked:
        return _no_frontier(mean_line)
    m, lo, hi = h.summary("years-per-10x")
    return Verdict(
        f"{format_interval(m, lo, hi, 1)} years per 10x compute (stacked frontier forms)",
        "yes" if lo <= 3 <= hi else "no",
        "the frontier's slope in log compute over its time trend per year, per posterior draw: "
        "the trend moves the frontier of best results, not the mean of all results",
        mean_line=mean_line.ours,
    )


def _polynomial_best(inputs: ReproductionInputs) -> Verdict:
    mean_line = _mean_line_or_none(inputs, _mean_line_polynomial_best)
    h = inputs.frontier
    if h is None or not h.weights:
        return _no_frontier(mean_line)
    w = h.weights
    best = max(w, key=w.get)
    poly, expo = w.get("polynomial", 0.0), w.get("exponential", 0.0)
    if best == "polynomial" and expo > 0.05:
        agree = "yes"
    elif poly > 0.05:
        agree = "partly"
    else:
        agree = "no"
    return Verdict(
        f"stacking weights: {weights_text(h)}",
        agree,
        "weights that maximise the leave-future-out predictive density of later results "
        "(rolling-origin backtest) instead of in-sample R²; 'yes' needs the polynomial form "
        "weighted most and the exponential above 5%",
        mean_line=mean_line.ours,
    )


def _imagenet_multiplier(inputs: ReproductionInputs) -> Verdict:
    mean_line = _mean_line_or_none(inputs, _mean_line_imagenet_multiplier)
    h = inputs.frontier
    if h is None or "multiplier-5" not in h.stacked:
        return _no_frontier(mean_line)
    _, lo, hi = h.summary("multiplier-5")
    forms = "; ".join(f"{f}: {h.text('multiplier-5', f)}" for f in h.forms)
    return Verdict(
        f"stacked {_frontier_text(h, 'multiplier-5')}; {forms} "
        f"(from today's best {h.best_error:.1f}% in {int(h.year)})",
        "yes" if lo <= STUDY_MULTIPLIER_5 <= hi else "no",
        "compute at which the frontier of the projection year reaches 5% over the compute at "
        "which it reaches today's best, per draw; the headline interval mixes the forms by their "
        "backtest weights, so it holds the choice of form too",
        mean_line=mean_line.ours,
    )


def _ninth_power(inputs: ReproductionInputs) -> Verdict:
    mean_line = _mean_line_or_none(inputs, _mean_line_ninth_power)
    h = inputs.frontier
    if h is None or "halving" not in h.stacked:
        return _no_frontier(mean_line)
    halving = h.draws("halving")
    power = halving / np.log10(2.0)
    p = interval_of(power, h.level)
    agree = bound_verdict(p[1], p[2], STUDY_POWER)
    return Verdict(
        f"compute ∝ improvement^{format_interval(*p, 1)}; halving today's best needs "
        f"{_frontier_text(h, 'halving', ' times')} the compute (stacked)",
        agree,
        "power = log10(halving multiplier) / log10(2) from the frontier's draws (on the "
        "polynomial form this is -1/slope); agreement requires the whole interval at or above "
        "the ninth power, which also means more than 500x",
        mean_line=mean_line.ours,
    )


def _nyc_months(inputs: ReproductionInputs, log10_kg: np.ndarray) -> np.ndarray:
    nyc_month_t = inputs.assumptions.comparisons["new_york_city_t_co2_per_year"].value / 12
    return np.asarray(log10_kg) - 3.0 - np.log10(nyc_month_t)


def _cost_and_carbon(inputs: ReproductionInputs) -> Verdict:
    mean_line = _mean_line_or_none(inputs, _mean_line_cost_and_carbon)
    h = inputs.frontier
    if h is None or "target-5" not in h.costs:
        return _no_frontier(mean_line)
    cost = h.costs["target-5"]
    usd = h.cost_summary("target-5", "log10_usd")
    months = interval_of(_nyc_months(inputs, cost["log10_kg_co2e"].to_numpy()), h.level)
    agree = compound_verdict(
        [
            "yes" if usd[1] <= STUDY_USD_5 <= usd[2] else "no",
            "yes" if months[1] <= 0 <= months[2] else "no",
        ]
    )
    return Verdict(
        f"US$ {format_power_of_ten(*usd)}; CO2e {format_power_of_ten(*months)} NYC-months "
        f"(stacked frontier, {int(h.year)} hardware)",
        agree,
        f"frontier compute for 5% in {int(h.year)} ({h.text('target-5')} FLOP of hardware "
        "burden) priced with that year's hardware prices, efficiency and grid carbon, each with "
        "its uncertainty",
        mean_line=mean_line.ours,
    )


def _one_percent(inputs: ReproductionInputs) -> Verdict:
    h = inputs.frontier
    if h is None or "target-1" not in h.costs:
        return Verdict("frontier headline not supplied", "n/a", "run without the frontier model")
    usd = h.cost_summary("target-1", "log10_usd")
    lb = h.cost_summary("target-1", "log10_lb_co2e")
    agree = compound_verdict(
        [bound_verdict(usd[1], usd[2], STUDY_ONE_PERCENT), bound_verdict(lb[1], lb[2], 20.0)]
    )
    share = h.unreachable("target-1")
    never = f"; 1% never reached in {100 * share:.0f}% of draws" if share > 0 else ""
    return Verdict(
        f"US$ {format_power_of_ten(*usd)}; {format_power_of_ten(*lb)} lb CO2e "
        f"({h.text('target-1')} FLOP, stacked frontier{never})",
        agree,
        "a bound: 'yes' when the whole interval is above 10^20, 'partly' when it straddles it; "
        "CO2e in pounds (kg / 0.4536); draws where the frontier never reaches 1% (a slope that "
        "is not negative, or an irreducible error above 1%) count as infinite cost",
    )


def _training_costs(inputs: ReproductionInputs) -> Verdict:
    h = inputs.frontier
    if h is None or "today" not in h.costs or "halving-compute" not in h.costs:
        return Verdict("frontier headline not supplied", "n/a", "run without the frontier model")
    today = h.cost_summary("today", "log10_usd")
    nxt = h.cost_summary("halving-compute", "log10_usd")
    parts = [
        "yes" if overlaps(today[1], today[2], *STUDY_COST_TODAY) else "no",
        "yes" if overlaps(nxt[1], nxt[2], *STUDY_COST_NEXT) else "no",
    ]
    direction = "above" if nxt[1] > STUDY_COST_NEXT[1] else "below" if nxt[2] < 8 else "within"
    return Verdict(
        f"today's best ({h.best_error:.1f}%): US$ {format_power_of_ten(*today)}; halving it "
        f"({h.best_error / 2:.1f}%): US$ {format_power_of_ten(*nxt)} ({int(h.year)} prices)",
        compound_verdict(parts),
        "training cost of the compute at which the stacked frontier reaches today's best and "
        f"half of it; the next gain's interval lies {direction} US$ 10^8–10^10",
    )


# --- training-compute records (the interview) ---------------------------------------------------

GROWTH_WINDOW = (2012.0, 2020.0)
"""Decimal years of the interview's 2012-2019 (from 1 January 2012 up to 1 January 2020)."""
STUDY_GROWTH = 1.0
"""log10 of the interview's growth of cutting-edge compute per year (about 10x)."""
STUDY_HARDWARE_GAIN = float(np.log10(35))
"""log10 of the interview's total gain from GPUs, Moore's law and efficiency (about 35x)."""
OPERATION_COUNTS = ("reported", "epoch_estimate", "network_operations")
"""Training-compute methods that count operations performed; hardware burden (peak rate x
time, an upper bound) is used for a system only when it has none of these."""


def training_compute_systems(compute: pd.DataFrame, papers: pd.DataFrame) -> pd.DataFrame:
    """One row per paper (system) with a training-compute figure: its date (the paper's),
    decimal year, log10 FLOP and the method and compute_id of the figure.

    Per paper the largest figure of the operation-count methods (:data:`OPERATION_COUNTS`), else
    its largest hardware burden.
    """
    rows = compute[(compute["quantity"] == "training_flops") & (compute["value"] > 0)]
    rows = rows.assign(
        log10_flop=np.log10(rows["value"].astype(float)),
        counted=rows["method"].isin(OPERATION_COUNTS),
    )
    rows = rows.sort_values(["paper_id", "counted", "log10_flop"]).groupby("paper_id").tail(1)
    dates = papers.set_index("paper_id")["date"]
    date = pd.to_datetime(rows["paper_id"].map(dates), errors="coerce")
    out = rows.assign(date=date).dropna(subset=["date"])
    start = pd.to_datetime(out["date"].dt.year.astype(str) + "-01-01")
    days = (out["date"] - start).dt.days
    out = out.assign(year=out["date"].dt.year + days / 365.25)
    columns = ["paper_id", "date", "year", "log10_flop", "method", "source", "compute_id"]
    return out[columns].sort_values(["date", "paper_id"]).reset_index(drop=True)


def running_records(systems: pd.DataFrame) -> pd.DataFrame:
    """The systems that set a new maximum of training compute, in date order."""
    ordered = systems.sort_values(["date", "paper_id"])
    previous = ordered["log10_flop"].cummax().shift(fill_value=-np.inf)
    return ordered[ordered["log10_flop"] > previous]


def growth_slope(frame: pd.DataFrame) -> float:
    """OLS slope of log10 FLOP on decimal year (log10 growth per year)."""
    if len(frame) < 3 or frame["year"].nunique() < 2:
        return float("nan")
    return float(np.polyfit(frame["year"].to_numpy(), frame["log10_flop"].to_numpy(), 1)[0])


@dataclass(frozen=True)
class Growth:
    """Growth of training compute per year (log10), median and interval over bootstrap draws."""

    records: tuple[float, float, float]
    all_systems: tuple[float, float, float]
    n_systems: int
    n_records: int
    record_ids: tuple[str, ...]


def compute_growth(
    systems: pd.DataFrame,
    window: tuple[float, float] = GROWTH_WINDOW,
    n: int = 1000,
    seed: int = 2020,
    level: float = 0.9,
) -> Growth:
    """Growth per year of the running record and of all systems inside ``window``.

    The interval resamples the systems (with replacement) and redoes the whole procedure on each
    replicate (records, then their OLS line), so it holds which systems happen to set records.
    """
    inside = systems[(systems["year"] >= window[0]) & (systems["year"] < window[1])]
    inside = inside.reset_index(drop=True)
    records = running_records(inside)
    rng = np.random.default_rng(seed)
    rec_draws, all_draws = [], []
    for _ in range(n):
        sample = inside.iloc[rng.integers(0, len(inside), len(inside))]
        rec_draws.append(growth_slope(running_records(sample.drop_duplicates("paper_id"))))
        all_draws.append(growth_slope(sample))

    def summary(point: float, draws: list[float]) -> tuple[float, float, float]:
        finite = np.asarray(draws)[np.isfinite(draws)]
        if not finite.size:
            return point, float("nan"), float("nan")
        _, lo, hi = interval_of(finite, level)
        return point, lo, hi

    return Growth(
        records=summary(growth_slope(records), rec_draws),
        all_systems=summary(growth_slope(inside), all_draws),
        n_systems=len(inside),
        n_records=len(records),
        record_ids=tuple(records["paper_id"]),
    )


def _times(log10_rate: tuple[float, float, float]) -> str:
    m, lo, hi = (10.0**v for v in log10_rate)
    return f"{m:.1f}x ({lo:.1f}–{hi:.1f}x)"


def _compute_growth(inputs: ReproductionInputs) -> Verdict:
    if inputs.compute is None or inputs.papers is None:
        return Verdict("compute records not supplied", "n/a", "no data/compute.csv given")
    systems = training_compute_systems(inputs.compute, inputs.papers)
    g = compute_growth(systems, seed=inputs.seed)
    if g.n_records < 3:
        return Verdict("too few records", "n/a", f"{g.n_records} record-setting systems")
    years = GROWTH_WINDOW[1] - GROWTH_WINDOW[0] - 1  # 2012 to 2019
    total = format_power_of_ten(*(years * v for v in g.records))
    _, lo, hi = g.records
    return Verdict(
        f"records: {_times(g.records)} a year ({g.n_records} record-setting of {g.n_systems} "
        f"dated systems; {total} over 2012–2019); all systems: {_times(g.all_systems)} a year",
        "yes" if lo <= STUDY_GROWTH <= hi else "no",
        "OLS of log10 training FLOP on the paper's date for the systems that set a new maximum "
        "(the claim is about cutting-edge systems; the record is their frontier), 90% interval "
        "from resampling the systems and redoing records and fit; the total over 2012–2019 is "
        "far above the ~35x (10^1.5) of hardware gains, as the interview says, but our data hold "
        "the systems of the study's benchmarks, not the largest systems of the period "
        "(game-playing, large-scale language models outside those tasks)",
    )


BERT_PAPER = "devlin2018bert"
EVOLVED_TRANSFORMER_PAPER = "evolved2019transformer"
STUDY_BERT = {"parameters": 340e6, "chip_count": 64.0, "training_hours": 96.0}
"""The interview's BERT-Large: 340M parameters, 16 Cloud TPUs (64 TPU chips), 4 days."""
STUDY_ET_GPU_HOURS = 2e6
"""The interview's Evolved Transformer search: more than 2 million GPU hours."""


def paper_facts(compute: pd.DataFrame, paper_id: str, model_contains: str = "") -> pd.DataFrame:
    """Compute facts of one paper (optionally of models whose name contains a string)."""
    rows = compute[compute["paper_id"] == paper_id]
    if model_contains:
        rows = rows[rows["model"].str.contains(model_contains, case=False, na=False)]
    return rows


def _bert_large(inputs: ReproductionInputs) -> Verdict:
    if inputs.compute is None:
        return Verdict("compute facts not supplied", "n/a", "no data/compute.csv given")
    facts = paper_facts(inputs.compute, BERT_PAPER, "large")
    values = {q: sorted(set(facts.loc[facts["quantity"] == q, "value"])) for q in STUDY_BERT}
    missing = [q for q, v in values.items() if not v]
    if len(missing) == len(STUDY_BERT):
        return Verdict("not in the data", "n/a", "no BERT-Large compute facts")
    checks = [
        "yes" if v and any(np.isclose(x, STUDY_BERT[q], rtol=0.05) for x in v) else "no"
        for q, v in values.items()
    ]
    chips = sorted(set(facts.loc[facts["quantity"] == "chip_count", "chip"].dropna()))
    text = "; ".join(
        f"{q.replace('_', ' ')} {', '.join(f'{x:g}' for x in v) or 'none'}"
        for q, v in values.items()
    )
    burden = facts.loc[
        (facts["quantity"] == "training_flops") & (facts["method"] == "hardware_burden"), "value"
    ]
    extra = f"; hardware burden {burden.max():.2g} FLOP" if len(burden) else ""
    return Verdict(
        f"{text} ({', '.join(chips) or 'chip not named'}){extra}",
        compound_verdict(checks),
        "read from the paper (Appendix A.2) and Epoch AI's record; a Cloud TPU v2 device has "
        "four chips, so 16 devices are the 64 chips the data count",
    )


def _evolved_transformer(inputs: ReproductionInputs) -> Verdict:
    if inputs.compute is None:
        return Verdict("compute facts not supplied", "n/a", "no data/compute.csv given")
    facts = paper_facts(inputs.compute, EVOLVED_TRANSFORMER_PAPER)
    hours = facts[facts["quantity"].isin(("training_hours", "training_flops"))]
    if hours.empty:
        return Verdict(
            "not in the data",
            "n/a",
            "the paper's results are in the data but no count of accelerators with a training "
            "or search time was found (data/manual/compute_search.csv)",
        )
    return Verdict(
        f"{len(hours)} compute facts (training time or FLOP)",
        "n/a",
        "the data hold training facts of the final model, not of the architecture search",
    )


CLAIMS: tuple[Claim, ...] = (
    Claim("scope", "Papers analysed", "[paper]", "1,058 papers (v1)", _scope),
    Claim(
        "r2-range",
        "Compute significantly predicts performance; R² 29–68% except WMT EN-DE",
        "[quoted]",
        "R² 0.29–0.68",
        _r2_range,
    ),
    Claim(
        "imagenet-r2",
        "Compute explains 43% of ImageNet variance; a time trend a further 12%",
        "[quoted]",
        "0.43; +0.12",
        _imagenet_r2,
    ),
    Claim(
        "progress",
        "About 3 years of algorithmic progress are worth about 10x compute",
        "[quoted]",
        "≈ 3 years",
        _years_per_10x,
    ),
    Claim(
        "polynomial-best",
        "Polynomial models fit best; exponential ones are plausible",
        "[quoted]",
        "polynomial best",
        _polynomial_best,
    ),
    Claim(
        "imagenet-5pc",
        "ImageNet 5% error needs ~10^5 x the compute of 2020's state of the art (optimistic model)",
        "[quoted]",
        "10^5",
        _imagenet_multiplier,
    ),
    Claim(
        "ninth-power",
        "Compute grows with at least the 9th power of improvement; halving error needs > 500x",
        "[quoted, Spectrum]",
        "≥ 9th power; > 500x",
        _ninth_power,
    ),
    Claim(
        "cost-co2",
        "ImageNet 5% would cost ~US$100 billion and emit NYC's CO2 for a month",
        "[quoted/unconfirmed]",
        "10^11 US$; 1 NYC-month",
        _cost_and_carbon,
    ),
    Claim(
        "compute-growth",
        "Compute of cutting-edge systems grew about 10x a year over 2012–2019, far faster than "
        "the ~35x total from GPUs, Moore's law and efficiency",
        "[interview]",
        "≈ 10x a year",
        _compute_growth,
    ),
    Claim(
        "imagenet-1pc",
        "ImageNet 1% error would cost over US$10^20 and emit over 10^20 lb CO2e",
        "[interview]",
        "> 10^20 US$; > 10^20 lb CO2e",
        _one_percent,
    ),
    Claim(
        "training-costs",
        "Training costs go from millions or tens of millions of dollars to hundreds of millions "
        "or billions if the trend holds",
        "[interview]",
        "10^6–10^8 → 10^8–10^10 US$",
        _training_costs,
    ),
    Claim(
        "bert-large",
        "BERT-Large (340M parameters) trained 4 days on 16 Cloud TPUs (64 TPU chips)",
        "[interview]",
        "340M; 64 chips; 96 h",
        _bert_large,
    ),
    Claim(
        "evolved-transformer",
        "The Evolved Transformer's architecture search took more than 2 million GPU hours",
        "[interview]",
        "> 2×10^6 GPU hours",
        _evolved_transformer,
    ),
    Claim(
        "today",
        "2020 state of the art used as 'today'",
        "[unconfirmed; interview: ImageNet]",
        "ImageNet 11.5, COCO 46.7, SQuAD 4.6, CoNLL 6.5, WMT EN-FR 54.4",
        _today_values,
    ),
    Claim(
        "constants",
        "Conversion constants: 6.874e16 FLOP per US$, 3.498e17 FLOP per lb CO2e",
        "[site]",
        "6.874e16; 3.498e17",
        _constants,
    ),
)


def reproduction_table(inputs: ReproductionInputs) -> pd.DataFrame:
    """One row per claim: claim, tag, study, ours (the frontier headline, or the measure the claim
    is about), mean_line (the mean-line scaling model's value, where it applies), agree, reason."""
    records = []
    for claim in CLAIMS:
        verdict = claim.evaluate(inputs)
        records.append(
            {
                "key": claim.key,
                "claim": claim.claim,
                "tag": claim.tag,
                "study": claim.study,
                "ours": verdict.ours,
                "mean_line": verdict.mean_line,
                "agree": verdict.agree,
                "reason": verdict.reason,
            }
        )
    return pd.DataFrame.from_records(records)


def loo_from_fits(fits: dict[str, FitLike]) -> pd.DataFrame | None:
    """Per task: PSIS-LOO of the polynomial vs the exponential fit on the log10(error) scale
    (``analysis.models.task_loo``): task, n, better form, elpd difference and its SE."""
    import warnings

    from analysis.models import task_loo

    chosen = {f: fits[f] for f in ("polynomial", "exponential") if f in fits}
    if len(chosen) < 2 or not all(hasattr(f, "rows") for f in chosen.values()):
        return None
    tasks = sorted(set.intersection(*(set(f.rows["task"]) for f in chosen.values())))
    records = []
    for task in tasks:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pareto-k warnings: see the model chapters
            try:
                table = task_loo(chosen, task)
            except ValueError:
                continue
        best, other = table.index[0], table.index[1]
        records.append(
            {
                "task": task,
                "n": int(table.attrs.get("n", 0)),
                "better": best,
                "elpd_diff": float(table.loc[other, "elpd_diff"]),
                "se_diff": float(table.loc[other, "dse"]),
            }
        )
    return pd.DataFrame.from_records(records) if records else None


FIT_KEYS: tuple[str, ...] = ("polynomial", "exponential", "polynomial_trend")
"""The fits the reproduction compares (:data:`analysis.projection.inputs.FIT_KEYS`)."""


def usable_compute(tables: object | None) -> pd.DataFrame | None:
    """The compute rows of the tables without those flagged as wrong (none for no tables)."""
    compute = getattr(tables, "compute", None)
    if compute is None:
        return None
    unusable = getattr(tables, "unusable_compute", frozenset())
    return compute[~compute["compute_id"].isin(unusable)]


def reproduction_inputs(
    inputs: BookInputs,
    frontier: FrontierHeadline | None = None,
    tables: object | None = None,
) -> ReproductionInputs:
    """Inputs for the book's reproduction chapter from the projection inputs with
    :data:`FIT_KEYS` (the book's mean-line fits, data and cost model), the frontier headline
    and the curated tables (``compute`` and ``papers``: the dated training-compute records)."""
    return ReproductionInputs(
        rows=inputs.rows,
        fits=inputs.fits,
        cost_model=inputs.cost_model,
        today=inputs.today,
        measure=inputs.measure,
        n_papers=inputs.n_papers,
        loo=loo_from_fits(inputs.fits),
        frontier=frontier,
        compute=usable_compute(tables),
        papers=getattr(tables, "papers", None),
    )
