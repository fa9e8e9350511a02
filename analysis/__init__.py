"""Computational Limits: data, models, costs and figures behind the book."""

__version__ = "0.4.7"
