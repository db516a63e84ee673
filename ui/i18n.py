"""Which language a session sees, and the lookup of its text.

``?lang=ko`` / ``?lang=en`` choose; without it the browser's locale decides (Korean for ``ko*``,
else English); a sidebar switch changes it. The switch is a widget bound to the URL, so a shared
link keeps the language it was made in.
"""

from __future__ import annotations

import re

import streamlit as st

from ui.locales import STRINGS

LANGUAGES = ("en", "ko")
LANG_KEY = "lang"


def browser_language(locale: str | None) -> str:
    """The app language for a browser locale such as ``ko-KR``: Korean for ``ko*``, else English."""
    return "ko" if (locale or "").lower().startswith("ko") else "en"


def current() -> str:
    """The session's language code (``en`` or ``ko``)."""
    lang = st.session_state.get(LANG_KEY)
    return lang if lang in LANGUAGES else browser_language(st.context.locale)


def t(key: str, /, **values: object) -> str:
    """The text for ``key`` in the session's language, with ``{placeholders}`` filled from ``values``.

    ``{name|을}`` (Korean) fills ``name`` and adds the particle that agrees with how the value is read:
    ``{b|을}`` gives "32를", "300을"; see :func:`fill` and :func:`particle`.
    """
    text = STRINGS[current()][key]
    return fill(text, values) if values else text


# --- Korean particles after a value ---------------------------------------------------------------
# A particle after a number depends on how the number is read: 10이 (십), 300을 (삼백), 4와 (사), 8은 (팔),
# 1로 (일: ㄹ takes 로), 0.05를 (영점영오), 72%가 (퍼센트). A template cannot know its number, so a template
# writes ``{b|을}`` and the particle is chosen from the filled-in text.

# The pairs: either spelling names the pair; the first form goes after a final consonant (받침).
PAIRS = {"이": ("이", "가"), "가": ("이", "가"), "을": ("을", "를"), "를": ("을", "를"), "은": ("은", "는"),
         "는": ("은", "는"), "과": ("과", "와"), "와": ("과", "와"), "으로": ("으로", "로"), "로": ("으로", "로")}
_PARTICLE = "|".join(sorted(PAIRS, key=len, reverse=True))  # 으로 before 로
# {name|을}, {name:.2f|을}; not inside an escaped {{…}}
_FIELD = re.compile(r"(?<!\{)\{(\w+)((?:![rsa])?(?::[^{}|]*)?)\|(" + _PARTICLE + r")\}")
# Final consonant of each digit as read in Sino-Korean: 영 일 이 삼 사 오 육 칠 팔 구.
_DIGIT = {"0": "ㅇ", "1": "ㄹ", "2": "", "3": "ㅁ", "4": "", "5": "", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ", "9": ""}
# A round number is read by its largest unit: 십, 백, 천, 만 (10^4 to 10^7), 억 (10^8 to 10^11), 조.
_ROUND = {1: "ㅂ", 2: "ㄱ", 3: "ㄴ", 4: "ㄴ", 5: "ㄴ", 6: "ㄴ", 7: "ㄴ", 8: "ㄱ", 9: "ㄱ", 10: "ㄱ", 11: "ㄱ"}
# Letters as read in Korean (에이, 비, 씨, …): only L M N R end in a consonant (엘 엠 엔 알).
_LETTER = {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ", "r": "ㄹ"}
# Symbols and units read as a word: % 퍼센트, × 배, ms 밀리초, s 초; °, ‰ are not used in the app.
_SYMBOL = {"%": "", "×": "", "ms": "", "s": "", "px": "", "GB": "", "MB": "", "KB": ""}
_FINALS = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_QUIET = "*_`'\"”’ "  # Markdown and quotes that close a value: "**32**를" reads as 32를


def final_consonant(text: str) -> str | None:
    """The final consonant (받침) with which ``text`` is read aloud in Korean: '' for none.

    Reads the end of ``text``: a Hangul syllable by its own 받침; a number as Sino-Korean by its last
    non-zero digit, a round one by its unit (10 십, 300 삼백, 1,000 천, 20,000 이만), a decimal digit
    by digit (0.05 영점영오, 0.10 영점일영); ``%`` 퍼센트, ``×`` 배 and the units ms, s, px, GB read
    without one; a capital letter or acronym by the letter's name (B 비, N 엔, SGD 에스지디); another
    Latin word as its loanword ends (Adam 아담, BatchNorm 배치놈, Keras 케라스: m, n, l, ng end in a 받침).
    Markdown, quotes and a space at the end are skipped. ``None`` when nothing readable ends ``text``.
    """
    text = text.rstrip(_QUIET)
    if not text:
        return None
    last = text[-1]
    if "가" <= last <= "힣":
        return _FINALS[(ord(last) - 0xAC00) % 28 - 1] if (ord(last) - 0xAC00) % 28 else ""
    for symbol, final in _SYMBOL.items():
        if text.endswith(symbol) and (len(text) == len(symbol) or not text[-len(symbol) - 1].isalpha()):
            return final
    number = re.search(r"(\d[\d,]*)(\.\d+)?$", text)
    if number:
        if number[2]:  # after the point each digit is read on its own
            return _DIGIT[number[2][-1]]
        digits = number[1].replace(",", "")
        zeros = len(digits) - len(digits.rstrip("0"))
        if zeros == len(digits):  # 0, 00: 영
            return "ㅇ"
        return _DIGIT[digits[-1]] if zeros == 0 else _ROUND.get(zeros, "ㄱ")
    word = re.search(r"[A-Za-z]+$", text)
    if word:
        word = word[0]
        if word.isupper() or len(word) == 1:
            return _LETTER.get(word[-1].lower(), "")
        lower = word.lower()
        if lower.endswith("ng"):
            return "ㅇ"
        return _LETTER.get(lower[-1], "") if lower[-1] in "lmn" else ""
    return None


def particle(text: str, pair: str) -> str:
    """The particle of ``pair`` (any of 이/가, 을/를, 은/는, 과/와, 으로/로) that agrees with ``text``.

    ``particle("300", "를") == "을"``, ``particle("32", "을") == "를"``, ``particle("1", "으로") == "로"``
    (ㄹ takes 로). Text that cannot be read (an empty value) gets the written form of both: "을(를)".
    """
    with_final, without = PAIRS[pair]
    final = final_consonant(text)
    if final is None:
        return f"{with_final}({without})"
    if with_final == "으로":
        return "로" if final in ("", "ㄹ") else "으로"
    return with_final if final else without


def fill(text: str, values: dict[str, object]) -> str:
    """``text.format(**values)``, where a field ``{name|을}`` (also ``{name:.2f|은}``) adds the particle
    that agrees with the filled-in value (:func:`particle`)."""

    def with_particle(match: re.Match) -> str:
        shown = ("{0" + match[2] + "}").format(values[match[1]])
        return (shown + particle(shown, match[3])).replace("{", "{{").replace("}", "}}")

    return _FIELD.sub(with_particle, text).format(**values)


def tn(key: str, count: int, /, **values: object) -> str:
    """The text for ``count`` things: ``{key}.one`` when ``count`` is 1, else ``{key}.other``.

    ``count`` is filled in as ``{count}`` (with thousands separators) next to ``values``. Korean has
    no plural, so its two forms are the same text; English needs both ("1 iteration", "2 iterations").
    """
    return t(f"{key}.{'one' if count == 1 else 'other'}", count=f"{count:,}", **values)


def language_switch() -> str:
    """Draw the sidebar language switch (bound to ``?lang``) and return the chosen language."""
    default = browser_language(st.context.locale)
    chosen = st.sidebar.segmented_control(
        ":material/translate: Language · 언어",
        LANGUAGES,
        default=default,
        required=True,
        # No format_func: Streamlit writes the *displayed* option into the URL, and links say ?lang=ko.
        key=LANG_KEY,
        bind="query-params",
    )
    return chosen if chosen in LANGUAGES else default
