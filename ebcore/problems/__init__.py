"""The seeded data sets and models the lessons train (every draw from an explicit generator)."""

__all__ = ["DATA", "check_data"]

DATA = ("synthetic", "digits")
"""What a lesson can train on: its own made-up data (the default, so shared links keep their numbers) or the
real handwritten digits (``ebcore.problems.digits``)."""


def check_data(data: str) -> None:
    """Raise ``ValueError`` unless ``data`` is one of ``DATA``."""
    if data not in DATA:
        raise ValueError(f"data must be one of {DATA}, got {data!r}")
