"""Unit conversions (one API, in analysis.vocab.measures): FLOP, multiply-adds,
petaflop/s-days, pounds and kilograms."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.vocab import measures


def test_multiply_add_is_two_flop() -> None:
    assert measures.macs_to_flops(3.5e9) == pytest.approx(7.0e9)


def test_petaflop_s_day_in_flop() -> None:
    assert measures.petaflop_s_days_to_flop(1.0) == pytest.approx(8.64e19)


def test_petaflop_s_days_round_trip() -> None:
    flop = np.array([1e18, 3.14e21, 2.5e24])
    back = measures.petaflop_s_days_to_flop(measures.flop_to_petaflop_s_days(flop))
    np.testing.assert_allclose(back, flop, rtol=1e-12)


def test_pound_kilogram_round_trip_and_definition() -> None:
    assert measures.kg_from_lb(1.0) == pytest.approx(0.45359237, rel=1e-15)
    assert measures.lb_from_kg(measures.kg_from_lb(36_156.0)) == pytest.approx(36_156.0)


def test_kwh_is_3_6_megajoules() -> None:
    kwh = 1000.0 * 3600.0  # one kilowatt for one hour, in joules
    assert kwh == measures.JOULES_PER_KWH
