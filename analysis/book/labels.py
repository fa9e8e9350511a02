"""Axis titles with units, the same in every chart of the book."""

from __future__ import annotations

TRAINING_COMPUTE = "Training compute (FLOP, log scale)"
COMPUTE_PER_PASS = "Compute per forward pass (FLOP, log scale)"
ERROR = "Error (metric units, log scale)"
ERROR_PERCENT = "Error (%, log scale)"
YEAR = "Publication year"
COST_USD = "Cost (US$, log scale)"
EMISSIONS = "Emissions (t CO2e, log scale)"
SLOPE = "Slope of log10 error on log10 compute"

MEASURE_TITLES: dict[str, str] = {
    "hardware_burden": "Hardware burden (FLOP, log scale)",
    "network_operations": "Network operations (FLOP, log scale)",
    "flops_per_pass": COMPUTE_PER_PASS,
    "epoch_estimate": "Epoch AI training-compute estimate (FLOP, log scale)",
}
"""Axis title for each compute measure."""


def measure_title(measure: str) -> str:
    """The axis title of a compute measure; unknown measures are an error."""
    try:
        return MEASURE_TITLES[measure]
    except KeyError:
        known = sorted(MEASURE_TITLES)
        raise ValueError(f"unknown compute measure {measure!r}; known: {known}") from None
