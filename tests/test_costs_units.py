"""Unit conversions: FLOP, multiply-adds, petaflop/s-days, pounds and kilograms."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import costs


def test_multiply_add_is_two_flop() -> None:
    assert costs.flop_from_multiply_adds(3.5e9) == pytest.approx(7.0e9)


def test_petaflop_s_day_in_flop() -> None:
    assert costs.flop_from_petaflop_s_days(1.0) == pytest.approx(8.64e19)


def test_petaflop_s_days_round_trip() -> None:
    flop = np.array([1e18, 3.14e21, 2.5e24])
    back = costs.flop_from_petaflop_s_days(costs.petaflop_s_days_from_flop(flop))
    np.testing.assert_allclose(back, flop, rtol=1e-12)


def test_pound_kilogram_round_trip_and_definition() -> None:
    assert costs.kg_from_lb(1.0) == pytest.approx(0.45359237, rel=1e-15)
    assert costs.lb_from_kg(costs.kg_from_lb(36_156.0)) == pytest.approx(36_156.0)


def test_kwh_is_3_6_megajoules() -> None:
    kwh = 1000.0 * 3600.0  # one kilowatt for one hour, in joules
    assert kwh == costs.JOULES_PER_KWH
