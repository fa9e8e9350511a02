"""The in-browser what-if chart: every control recomputes the numbers, presets set them back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.book import theme
from analysis.book.whatif import whatif_chart

DEFAULTS = {
    "target": 5.0,
    "year": 2020.0,
    "utilisation": 1.0,
    "basis": "cloud_on_demand",
    "pue_low": 1.1,
    "pue_high": 1.58,
    "carbon": "mlco2_regions",
    "fixed_g": 432.7,
    "costing": "book",
}
SETTINGS = {
    "series": "imagenet/top1_accuracy",
    "today": 11.5,
    "lowest": 1.0,
    "interval": 0.9,
    "power_fraction_of_tdp": 1.0,
    "published_flop_per_usd": 1e9,
    "published_flop_per_lb_co2e": 1e12,
    "kg_per_lb": 0.45359237,
}


def draws(n: int = 400, seed: int = 1) -> pd.DataFrame:
    """Synthetic shipped draws of both forms, shaped like :func:`whatif_draws` output."""
    rng = np.random.default_rng(seed)
    frames = []
    for form, icpt, slope in (("polynomial", 1.2, -0.08), ("exponential", 15.0, -2.0)):
        frames.append(
            pd.DataFrame(
                {
                    "form": form,
                    "x0": 20.0,
                    "y0": 2020.0,
                    "i": rng.normal(icpt, 0.05, n),
                    "s": rng.normal(slope, abs(slope) / 8, n),
                    "t": 0.0,
                    "w": 0,
                    "e": rng.normal(10.5, 0.1, n),
                    "es": 0.1,
                    "u": rng.uniform(size=n),
                    "p_cloud_on_demand": rng.normal(17.0, 0.1, n),
                    "ps_cloud_on_demand": 0.12,
                    "p_purchase": rng.normal(17.6, 0.1, n),
                    "ps_purchase": 0.12,
                    "c_mlco2_regions": rng.uniform(100, 600, n),
                    "c_world_mix": rng.uniform(300, 500, n),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def test_default_numbers_match_the_same_formulas_in_numpy() -> None:
    import re

    import vl_convert as vlc

    frame = draws()
    spec = theme.readable(whatif_chart(frame, DEFAULTS, **SETTINGS).to_dict())
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", vlc.vegalite_to_svg(spec))
    p = frame[frame["form"] == "polynomial"]
    flop = p["x0"] + (np.log10(5.0) - p["i"]) / p["s"]
    usd = flop - p["p_cloud_on_demand"]
    for value in (np.median(flop), np.median(usd)):
        exponent = int(np.floor(value))
        mantissa = f"{10 ** (value - exponent):.1f}"
        text = f"{mantissa}×10{theme.superscript(str(exponent))} ("
        assert any(t.startswith(text) for t in texts), (text, texts)


@pytest.mark.browser
def test_every_control_changes_the_numbers_and_presets_restore_them(tmp_path: Path) -> None:
    import vl_convert as vlc

    from tests.browser import chromium, exercise_controls, serve

    spec = theme.readable(whatif_chart(draws(), DEFAULTS, **SETTINGS).to_dict())
    (tmp_path / "vega.js").write_text(vlc.javascript_bundle())
    body = theme.offline_html(spec)
    (tmp_path / "page.html").write_text(
        f'<html><head><script src="vega.js"></script></head><body>{body}</body></html>'
    )
    with serve(tmp_path) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1200})
        page.goto(base + "page.html", wait_until="networkidle")
        first = ".complim-chart"
        page.wait_for_selector(f"{first} svg text")

        def text() -> str:
            return page.eval_on_selector_all(
                f"{first} svg text", "els => els.map(e => e.textContent).join('|')"
            )

        start = text()
        changed = exercise_controls(page, first)
        moved = text()
        page.click("button.complim-preset >> nth=0")
        page.wait_for_timeout(400)
        restored = text()
        page.click("button.complim-preset >> nth=1")
        page.wait_for_timeout(400)
        published = text()
        page.close()
    assert len(changed) == 9, changed
    assert all(changed.values()), [name for name, ok in changed.items() if not ok]
    assert moved != start
    assert sorted(restored.split("|")) == sorted(start.split("|")), "the preset does not restore"
    assert published != start, "the as-published preset changed nothing"
