"""The headline's forms: those that pass the diagnostics gate are stacked, the others named."""

import pandas as pd

from analysis.models import frontier as fm
from analysis.models.diagnostics import DiagnosticsError
from analysis.projection import frontier as fp


def test_a_form_that_fails_the_gate_is_left_out_with_its_reason(monkeypatch) -> None:
    fitted: list[str] = []

    def fit(rows: pd.DataFrame, form: str) -> str:
        fitted.append(form)
        if form == "floor":
            raise DiagnosticsError("frontier floor failed\nR-hat 1.04 on floor[20]")
        return f"fit of {form}"

    monkeypatch.setattr(fm, "fit_frontier", fit)
    fits, failed = fp.fit_forms(pd.DataFrame())
    assert fitted == list(fm.FRONTIER_FORMS)
    assert fits == {"polynomial": "fit of polynomial", "exponential": "fit of exponential"}
    assert failed == {"floor": "R-hat 1.04 on floor[20]"}
