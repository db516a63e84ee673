"""``fit_many``: K runs trained as one stacked network, each equal to its own ``fit`` bit for bit."""

from ebcore.stacked.many_runs import fit_many

__all__ = ["fit_many"]
