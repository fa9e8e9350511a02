"""One row per claim of the study (Thompson et al. 2020, arXiv 2007.05558): its value, ours
with an interval, whether they agree, and why they differ.

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

    @property
    def assumptions(self) -> Assumptions:
        return self.cost_model.assumptions


@dataclass(frozen=True)
class Verdict:
    """Our side of one claim."""

    ours: str
    agree: str
    reason: str


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


def _years_per_10x(inputs: ReproductionInputs) -> Verdict:
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


def _polynomial_best(inputs: ReproductionInputs) -> Verdict:
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


def _imagenet_multiplier(inputs: ReproductionInputs) -> Verdict:
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


def _ninth_power(inputs: ReproductionInputs) -> Verdict:
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


def _cost_and_carbon(inputs: ReproductionInputs) -> Verdict:
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
        "today",
        "2020 state of the art used as 'today'",
        "[unconfirmed]",
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
    """One row per claim: claim, tag, study, ours, agree, reason."""
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


def reproduction_inputs(inputs: BookInputs) -> ReproductionInputs:
    """Inputs for the book's reproduction chapter from the projection inputs with
    :data:`FIT_KEYS` (the book's fits, data and cost model)."""
    today = inputs.today
    return ReproductionInputs(
        rows=inputs.rows,
        fits=inputs.fits,
        cost_model=inputs.cost_model,
        today=today,
        measure=inputs.measure,
        n_papers=inputs.n_papers,
        loo=loo_from_fits(inputs.fits),
    )
