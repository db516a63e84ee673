"""The URL guard's pure parts: which link values a page would reject, and how a rejected one is echoed."""

from hypothesis import given
from hypothesis import strategies as st

from ui.urlstate import BoolParam, ChoiceParam, IntParam, echo, rejected

N = IntParam("n", 320, 1, 1_000_000)
FLAG = BoolParam("drop_last", False)
LANG = ChoiceParam("lang", "en", ("en", "ko"))


def test_valid_values_pass():
    raw = {"n": "1206", "drop_last": "TRUE", "lang": "ko", "other": "whatever"}
    assert rejected(raw, [N, FLAG, LANG]) == []


def test_bad_values_are_rejected():
    for value in ["abc", "-5", "0", "1e3", "12.5", "9" * 400, "inf", "nan", "", " 5", "1000001", "<b>1</b>", "٣"]:
        assert rejected({"n": value}, [N]) == [N], value
    assert rejected({"drop_last": "maybe"}, [FLAG]) == [FLAG]
    assert rejected({"lang": "fr"}, [LANG]) == [LANG]
    assert rejected({"n": ["1", "2"]}, [N]) == [N]


@given(st.text(max_size=500))
def test_any_text_is_either_a_valid_int_or_rejected(value):
    bad = rejected({"n": value}, [N])
    if not bad:
        assert value.isascii() and value.isdigit() and 1 <= int(value) <= 1_000_000


@given(st.text(max_size=500))
def test_echo_is_short_and_one_code_span(value):
    shown = echo(value)
    assert shown.startswith("`") and shown.endswith("`") and shown.count("`") == 2
    assert len(shown) <= 27 and "\n" not in shown


def test_a_key_repeated_with_one_value_is_that_value():
    """In-app links repeat ?lang (Streamlit carries it over and the link may add it): same value, no note."""
    assert rejected({"n": ["5", "5"]}, [N]) == []
    assert rejected({"n": ["5", "500000000000000"]}, [N]) == [N]
