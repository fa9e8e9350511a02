"""The methods chapter's prior predictive check draws from the scaling model itself."""

import dataclasses

import numpy as np

from analysis.models import checks, scaling


def _spread(frame) -> float:
    centre = frame.iloc[len(frame) // 2]
    return float(np.log10(centre["q95"]) - np.log10(centre["q05"]))


def test_prior_predictive_is_the_models_own_prior(monkeypatch) -> None:
    base = checks.prior_predictive("polynomial", n_draws=300, seed=1)
    assert list(base["decades_from_centre"]) == list(checks.PRIOR_GRID)
    assert (base["q05"] <= base["median"]).all() and (base["median"] <= base["q95"]).all()
    # the centre of the intercept prior is the model's: a typical error of PRIOR_ERROR_CENTRE %
    assert 0.2 < base["median"].iloc[len(base) // 2] / checks.PRIOR_ERROR_CENTRE < 5
    # tightening the model's prior scale tightens the draws: nothing here re-types the priors
    tight = dataclasses.replace(scaling.PRIOR_SCALES["polynomial"], scale=0.1)
    monkeypatch.setitem(scaling.PRIOR_SCALES, "polynomial", tight)
    narrow = checks.prior_predictive("polynomial", n_draws=300, seed=1)
    assert _spread(narrow) < 0.5 * _spread(base)
