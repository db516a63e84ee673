"""The URL guard's pure parts: which link values a page would reject, and how a rejected one is echoed."""

from hypothesis import given
from hypothesis import strategies as st

from ui.urlstate import BoolParam, ChoiceParam, IntParam, echo, rejected, swapped

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
    assert rejected({"n": ["1", "abc"]}, [N]) == [N]


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


def test_a_repeated_key_means_its_last_value():
    """In-app links put the session's carried settings first and their own last (?present=true&present=1,
    ?lang=en&lang=ko): the last value is the one meant, as Streamlit's widgets read it."""
    assert rejected({"n": ["5", "5"]}, [N]) == []
    assert rejected({"present": ["true", "1"]}, [BoolParam("present", False)]) == []
    assert rejected({"lang": ["en", "ko"]}, [LANG]) == []
    assert rejected({"n": ["5", "500000000000000"]}, [N]) == [N]


LOW, HIGH = IntParam("bmin", 4, 1, 1200, at_most="bmax"), IntParam("bmax", 1200, 1, 1200)


def test_bounds_the_wrong_way_round_are_found():
    assert swapped({"bmin": 200, "bmax": 10}, [LOW, HIGH]) == [(LOW, HIGH)]
    assert swapped({"bmax": 2}, [LOW, HIGH]) == [(LOW, HIGH)]  # against bmin's default, 4
    assert swapped({"bmin": 10, "bmax": 10}, [LOW, HIGH]) == []
    assert swapped({"bmin": 1200}, [LOW, HIGH]) == []


def note_texts(at) -> list[str]:
    return [i.value for i in at.info if ":material/link_off:" in str(i.proto.icon)]


def test_a_link_with_bmin_above_bmax_is_swapped_with_a_note(lang):
    """Issue 26 (item 15): ?bmin=128&bmax=64 was swept silently with the sliders crossed."""
    from tests.conftest import assert_clean, run_app

    at = run_app("batch_tradeoffs", bmin="128", bmax="64", lang=lang)
    assert_clean(at)
    assert (at.slider(key="bmin").value, at.slider(key="bmax").value) == (64, 128)
    assert at.query_params["bmin"] == "64" and at.query_params["bmax"] == "128"
    notes = note_texts(at)
    assert len(notes) == 1 and all(word in notes[0] for word in ("bmin", "bmax", "64", "128"))
    assert (" = 64" in notes[0]) and (" = 128" in notes[0])
    # A student dragging one slider past the other is not a link to mend: no note, no swap.
    at.slider(key="bmin").set_value(256).run()
    assert at.slider(key="bmin").value == 256 and note_texts(at) == []
