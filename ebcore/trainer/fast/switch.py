"""Whether ``fit``'s fast paths run: on, unless the start-up self-check (``selfcheck``) saw one differ from torch.

Off, ``direct_backprop.supports`` accepts no model (``fit`` steps through the module and autograd,
``fit_many`` trains each run through ``fit``) and every new ``LeanOptimizer`` hands its steps to the
``torch.optim`` class itself: the app is slower, never wrong. The switch is per process and only ever
turned off (``turn_on`` is for tests).
"""

from __future__ import annotations

import logging

__all__ = ["enabled", "turn_off", "turn_on"]

log = logging.getLogger("ebcore.trainer.fast")
_state = {"on": True}


def enabled() -> bool:
    """Whether the fast paths are on in this process."""
    return _state["on"]


def turn_off(reason: str) -> None:
    """Turn the fast paths off for the rest of the process, and say why in the log (a warning)."""
    if _state["on"]:
        log.warning("fit's fast paths are off in this process (slower, same numbers as torch): %s", reason)
    _state["on"] = False


def turn_on() -> None:
    """Turn the fast paths back on (tests restore the switch with it)."""
    _state["on"] = True
