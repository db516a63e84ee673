"""Shareable settings: widgets bound to the URL with Streamlit's own ``bind="query-params"``.

Streamlit seeds a bound widget from the link, but it drops a bad value silently and some values
(``?n=inf``, a 400-digit number) even crash its number input. So each page declares its URL
parameters once as specs; ``guard`` checks the raw link *before* the widgets exist, removes every
value a widget would reject, remembers a note saying what was ignored, and reruns once so the
widgets start from their defaults. The widgets themselves stay plain Streamlit widgets.

One user action changes the address several times (the guard's mended link, each widget a preset
sets): ``nav.one_history_entry_per_action`` makes it one entry in the browser's history.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui.i18n import t

_NOTES_KEY = "_url_notes"
_PAGE_KEY = "_url_page"
_LEFT_KEYS = "_url_page_keys"  # the current page's own keys, to remember when the session leaves it
_SAVED_KEY = "_url_saved"  # {page: {key: value}}: each page's settings as the student left them
_WRITTEN_KEY = "_url_written"  # {key: value}: what ``choice`` last wrote into the link
_SENT_KEY = "_url_sent"  # [(key, value)]: this run's address as the browser sent it
_OFFERED_KEY = "_url_offered"  # {(page, ((key, value), ...))}: in-app links drawn since the last arrival
# Enough digits for any bound integer here; longer strings are rejected before int() parses them.
_INT_PATTERN = re.compile(r"[0-9]{1,13}")
# How much of a rejected value the note repeats: enough to recognise it, never a wall of text.
_ECHO_CHARS = 24
_LINE_BREAKS = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")
# ``?present=1`` is how people write a flag; Streamlit's toggle only reads true/false, so the guard
# rewrites these before the widget exists.
_BOOL_SHORTHAND = {"1": "true", "0": "false"}


@dataclass(frozen=True)
class IntParam:
    """A whole number from ``low`` to ``high`` bound to ``?key=``."""

    key: str
    default: int
    low: int
    high: int
    at_most: str | None = None  # the key of another IntParam this one may not exceed (bmin ≤ bmax)

    def accepts(self, raw: str) -> bool:
        """True if ``raw`` is a plain decimal integer within ``[low, high]``."""
        return bool(_INT_PATTERN.fullmatch(raw)) and self.low <= int(raw) <= self.high

    def parse(self, raw: str) -> int:
        """The widget's value for an accepted ``raw``."""
        return int(raw)

    def expected(self) -> str:
        """The allowed values, for the note."""
        return t("url.expect_int", low=f"{self.low:,}", high=f"{self.high:,}")


@dataclass(frozen=True)
class BoolParam:
    """An on/off switch bound to ``?key=true|false`` (Streamlit's spelling, any case); ``1``/``0`` also work."""

    key: str
    default: bool

    def accepts(self, raw: str) -> bool:
        """True for ``true`` or ``false`` in any case, or the shorthand ``1``/``0``."""
        return raw.lower() in ("true", "false") or raw in _BOOL_SHORTHAND

    def parse(self, raw: str) -> bool:
        """The switch's value for an accepted ``raw``."""
        return _BOOL_SHORTHAND.get(raw, raw).lower() == "true"

    def spelled(self, raw: str) -> str:
        """An accepted ``raw`` as Streamlit's toggle reads it: ``true`` or ``false``."""
        return "true" if self.parse(raw) else "false"

    def expected(self) -> str:
        """The allowed values, for the note."""
        return t("url.expect_bool")


@dataclass(frozen=True)
class ChoiceParam:
    """One of a fixed set of option strings bound to ``?key=``."""

    key: str
    default: str
    options: tuple[str, ...]

    def accepts(self, raw: str) -> bool:
        """True if ``raw`` is one of the options, exactly."""
        return raw in self.options

    def parse(self, raw: str) -> str:
        """The widget's value for an accepted ``raw``."""
        return raw

    def expected(self) -> str:
        """The allowed values, for the note."""
        return t("url.expect_choice", options=", ".join(self.options))


Param = IntParam | BoolParam | ChoiceParam


def meant(value: str | list[str]) -> str:
    """The value a link means for a key: the last one where the key repeats.

    An in-app link to another page carries the session's bound settings (``?lang``, ``?present``)
    *before* its own (Streamlit's page links prepend them), so ``?present=false&present=true`` is a link
    asking for presentation mode from a session without it; Streamlit's widgets read the last value too.
    """
    return value[-1] if isinstance(value, list) else value


def rejected(raw: Mapping[str, str | list[str]], params: Iterable[Param]) -> list[Param]:
    """The params whose raw URL value a widget would not take (pure: no Streamlit calls)."""
    return [p for p in params if raw.get(p.key) is not None and not p.accepts(meant(raw[p.key]))]


def swapped(values: Mapping[str, int], params: Iterable[Param]) -> list[tuple[IntParam, IntParam]]:
    """The (low, high) pairs whose values are the wrong way round: ``low.at_most == high.key`` and
    ``values[low.key] > values[high.key]`` (pure; a key missing from ``values`` counts as its default)."""
    by_key = {p.key: p for p in params}
    pairs = [(p, by_key[p.at_most]) for p in by_key.values() if isinstance(p, IntParam) and p.at_most in by_key]
    return [(lo, hi) for lo, hi in pairs if values.get(lo.key, lo.default) > values.get(hi.key, hi.default)]


def echo(raw: str) -> str:
    """A rejected value made safe to show: shortened, and as a code span so no markup renders."""
    short = raw if len(raw) <= _ECHO_CHARS else raw[:_ECHO_CHARS] + "…"
    # Backticks would close the code span, and a line break (\r too) ends the paragraph it sits in;
    # nothing else inside a code span is interpreted.
    return "`" + _LINE_BREAKS.sub(" ", short.replace("`", "'")) + "`"


def guard(params: Sequence[Param], rerun: bool = True, carried: bool = False) -> bool:
    """Drop URL values the widgets would reject, note each one, and rerun without them.

    Call before creating the widgets. Valid values are left for Streamlit to seed. Returns True if
    the link was changed; ``rerun=False`` leaves the rerun to the caller (the app shell: a rerun
    before ``st.navigation`` has picked the page would land a deep link on the home page).
    ``carried``: the params are the shell's, whose widgets live as long as the session, so Streamlit
    seeds them from a link only once; a later in-app link that changes one (``?present=true`` from
    the lesson plan) is applied here.
    """
    raw = {key: st.query_params.get_all(key) for key in st.query_params}
    bad = rejected(raw, params)
    # Accepted values the widgets would still not read: a repeated key (?present=true&present=1, which
    # an in-app link adds to the settings the session carries) and on/off shorthand (?present=1).
    # Rewritten to the one value meant, spelled as a widget reads it. Only a rewritten link asks for a
    # rerun: a widget that already exists takes the value directly, and a rerun would find the same
    # link again, forever.
    rewritten = []
    for param in params:
        values = raw.get(param.key, [])
        if not values or param in bad:
            continue
        spelled = param.spelled(values[-1]) if isinstance(param, BoolParam) else values[-1]
        changes = carried and param.key in st.session_state and st.session_state[param.key] != param.parse(spelled)
        if len(values) > 1 or spelled != values[0] or changes:
            rewritten.append(_rewrite(param, spelled))
    notes = st.session_state.setdefault(_NOTES_KEY, [])
    rewritten += _order(params, raw, bad, notes)
    dropped = False
    for param in bad:
        notes.append(t("url.ignored", key=param.key, value=echo(raw[param.key][-1]), expected=param.expected()))
        try:
            del st.query_params[param.key]
            dropped = True
        except StreamlitAPIException:
            # The widget already exists in this session and owns the URL value: reset the widget
            # instead. No rerun for it: the link would still hold the value, and rerun forever.
            st.session_state[param.key] = param.default
    changed = dropped or any(rewritten)
    if changed and rerun:
        st.rerun()
    return changed


def _order(params: Sequence[Param], raw: Mapping[str, list[str]], bad: Sequence[Param], notes: list[str]) -> list[bool]:
    """Swap a link's pair of bounds that are the wrong way round (``?bmin=200&bmax=10``), with a note.

    A teacher who writes the range backwards means the same range, and the page would otherwise sweep
    it silently with its sliders crossed. Only while the link seeds the widgets (neither exists in the
    session yet): a student dragging one slider past the other is not a link to mend.
    """
    bounds = [key for p in params if isinstance(p, IntParam) and p.at_most for key in (p.key, p.at_most)]
    if any(key in st.session_state for key in bounds):
        return []
    values = {p.key: int(raw[p.key][-1]) for p in params
              if isinstance(p, IntParam) and p.key in raw and p not in bad}
    out = []
    for low, high in swapped(values, params):
        a, b = values.get(low.key, low.default), values.get(high.key, high.default)
        notes.append(t("url.swapped", low_key=low.key, high_key=high.key, low=f"{a:,}", high=f"{b:,}"))
        out += [_rewrite(low, str(b)), _rewrite(high, str(a))]
    return out


def _rewrite(param: Param, value: str) -> bool:
    """Write ``value`` into the link (True), or into the widget if it already owns the link (False)."""
    try:
        st.query_params[param.key] = value
        return True
    except StreamlitAPIException:
        st.session_state[param.key] = param.parse(value)
        return False


def remember_link() -> None:
    """Keep this run's address as the browser sent it, before anything rewrites it (see ``fresh_on_arrival``).
    Call first in the run."""
    ctx = get_script_run_ctx()
    st.session_state[_SENT_KEY] = parse_qsl(ctx.query_string if ctx is not None else "", keep_blank_values=True)


def offer_link(page: str, query: Mapping[str, str]) -> None:
    """Note that this run drew a link to ``page`` with ``query`` (``nav.link``), for ``fresh_on_arrival``."""
    st.session_state.setdefault(_OFFERED_KEY, set()).add((page, tuple(query.items())))


def _dropped_by_streamlit(page: str, own: Iterable[Param]) -> dict[Param, str]:
    """The page's settings a link to it carried that Streamlit left out of ``st.query_params``.

    On a page change Streamlit drops every key bound to a widget of the page being left, the link's
    own value included: the calculator's link to BatchNorm (``n``, ``batch``: bound on both pages)
    opened on BatchNorm's defaults. The link's own settings are the end of the address the browser
    sent (Streamlit puts the settings it carries first), for a link the last page drew.
    """
    sent = st.session_state.get(_SENT_KEY, [])
    for target, pairs in st.session_state.get(_OFFERED_KEY, set()):
        if target == page and pairs and tuple(sent[-len(pairs):]) == pairs:
            by_key = {p.key: p for p in own}
            return {by_key[k]: v for k, v in pairs if k in by_key and k not in st.query_params}
    return {}


def fresh_on_arrival(page: str, keys: Iterable[str], own: Iterable[Param] = ()) -> None:
    """When the session arrives on another page, start it from its link, or from where the student left it.

    Pages share URL keys with different ranges (``batch`` is 1–100 on the exam page and up to 10⁹ on
    the calculator), and Streamlit carries a keyed widget's value from page to page within a session.
    So on arrival every widget keyed ``keys`` is forgotten, after the page being left has had its
    values (its ``own`` keys, as the session held them) remembered. Then a link that carries any of
    the page's ``own`` settings opens on exactly those; arriving without any (the sidebar, Back, a
    plain in-app link) restores what the student last had on this page in this session. Call after
    ``st.navigation``, with ``own`` the params of ``page``.
    """
    saved = st.session_state.setdefault(_SAVED_KEY, {})
    left = st.session_state.get(_PAGE_KEY)
    if left == page:
        return
    if left is not None and _LEFT_KEYS in st.session_state:
        saved[left] = {k: st.session_state[k] for k in st.session_state[_LEFT_KEYS] if k in st.session_state}
    own = tuple(own)
    dropped = _dropped_by_streamlit(page, own)
    st.session_state.pop(_OFFERED_KEY, None)  # the links of the page left behind
    for param, value in dropped.items():  # back into the link (the page's guard checks them there)
        try:
            st.query_params[param.key] = value
        except StreamlitAPIException:
            pass
    restored = {} if any(p.key in st.query_params for p in own) else saved.get(page, {})
    for key in keys:
        if key not in restored:
            st.session_state.pop(key, None)
    st.session_state.update(restored)
    # Streamlit seeds the widgets from the link as it filtered it: the dropped values go in directly.
    st.session_state.update({p.key: p.parse(value) for p, value in dropped.items() if p.accepts(value)})
    # And into the link, so the address and the share button say what the page shows. A key the
    # page just left also has is still bound to that widget in this run: Streamlit then syncs the
    # link itself, because the value is a programmatic set of a key the last run held.
    for key, value in restored.items():
        try:
            st.query_params[key] = str(value).lower() if isinstance(value, bool) else str(value)
        except StreamlitAPIException:
            pass
    st.session_state[_PAGE_KEY] = page
    st.session_state[_LEFT_KEYS] = tuple(p.key for p in own)


def current(param: Param):
    """The value ``param``'s widget will show in this run, before the widget exists.

    Its value in this session if it has one, else the link's (checked by ``guard``), else the default:
    a bound widget reads the link only when it is created, so ``st.session_state`` alone misses a
    link's values on the first run.
    """
    if param.key in st.session_state:
        return st.session_state[param.key]
    raw = st.query_params.get(param.key)
    return param.parse(raw) if raw is not None and param.accepts(raw) else param.default


def show_notes() -> None:
    """Show (once) the notes ``guard`` left about ignored link values."""
    notes = st.session_state.pop(_NOTES_KEY, [])
    if notes:
        st.info("\n\n".join(notes), icon=":material/link_off:")


def share_link() -> str:
    """The address of this page with its current settings (the bound widgets' URL state)."""
    base = (st.context.url or "").split("?")[0]
    query = urlencode(st.query_params.to_dict())
    return f"{base}?{query}" if query else base


def number_input(param: IntParam, label: str, help: str | None = None, container=st) -> int:
    """A whole-number input bound to ``?{param.key}=`` (typed, with +/- steps)."""
    return container.number_input(
        label, param.low, param.high, param.default, step=1, key=param.key, help=help, bind="query-params"
    )


def slider(param: IntParam, label: str, help: str | None = None, container=st) -> int:
    """A slider bound to ``?{param.key}=``."""
    return container.slider(
        label, param.low, param.high, param.default, key=param.key, help=help, bind="query-params"
    )


def toggle(param: BoolParam, label: str, help: str | None = None, container=st) -> bool:
    """An on/off toggle bound to ``?{param.key}=true|false``."""
    return container.toggle(label, param.default, key=param.key, help=help, bind="query-params")


def choice(param: ChoiceParam, label: str, help: str | None = None, container=st,
           labels: Mapping[str, str] | None = None) -> str:
    """One-of-a-few buttons (a segmented control) for ``?{param.key}=``; never empty.

    Without ``labels`` the buttons show the options themselves (numbers) and the widget is bound to
    the link with ``bind="query-params"``. With ``labels`` ({option: translated text}) the buttons show
    the text, and the link still carries the option: a bound widget writes what it *displays* into
    the link, which would make links depend on the language. So that widget keeps the same key and
    session value (presets set it as any other) and is tied to the link here: seeded from it on
    arrival, written back to it (the default left out, as Streamlit does) on every run.
    """
    if labels is None:
        chosen = container.segmented_control(label, param.options, default=param.default, required=True,
                                             key=param.key, help=help, bind="query-params")
        return chosen or param.default
    # The link wins when it changed behind the widget's back (Back or Forward in the browser): it then
    # differs from what this function last wrote into it.
    written = st.session_state.setdefault(_WRITTEN_KEY, {})
    raw = st.query_params.get(param.key)
    linked = raw if raw is not None and param.accepts(raw) else param.default
    if st.session_state.get(param.key) not in param.options or written.get(param.key, linked) != linked:
        st.session_state[param.key] = linked
    chosen = container.segmented_control(label, param.options, format_func=labels.__getitem__, required=True,
                                         key=param.key, help=help) or param.default
    if chosen == param.default:
        if param.key in st.query_params:
            del st.query_params[param.key]
    elif st.query_params.get(param.key) != chosen:
        st.query_params[param.key] = chosen
    written[param.key] = chosen
    return chosen


def set_values(**values: object) -> None:
    """Callback for presets: put values into bound widgets (and so into the link) on the next run."""
    st.session_state.update(values)


def link_query(query: Mapping[str, str], carried: Iterable[Param]) -> dict[str, str]:
    """An in-app link's settings, less the ``carried`` ones the session already holds, bools spelled out.

    Streamlit's page links carry the settings bound on every page (``?lang``, ``?present``) and put the
    link's own after them: a link that repeats a value the session holds would say it twice, so it is
    left out (the session keeps it anyway). One that changes it stays, and wins (``meant``).
    """
    by_key = {p.key: p for p in carried}
    out = {}
    for key, value in query.items():
        param = by_key.get(key)
        if param is not None and param.accepts(value):
            if param.parse(value) == current(param):
                continue
            if isinstance(param, BoolParam):
                value = param.spelled(value)
        out[key] = value
    return out
