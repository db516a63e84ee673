"""Issue 16, points 11 and 12: option buttons show translated labels while links keep the codes, and a
page the student comes back to (sidebar, Back) is where they left it, while a link opens on its own settings."""

import pytest
from conftest import assert_clean, run_app

from ui.locales import STRINGS
from ui.params import BatchNorm, Tradeoffs

# (page, param, the string-table key of each option's label)
TRANSLATED = [
    ("batchnorm_last_batch", BatchNorm.OPT, "bn.opt.{}"),
    ("batchnorm_last_batch", BatchNorm.NORM, "bn.norm.{}"),
    ("batch_tradeoffs", Tradeoffs.XAXIS, "trade.seed.axis.{}"),
    ("batch_tradeoffs", Tradeoffs.VIEW, "trade.seed.view.{}"),
]


@pytest.mark.parametrize(("page", "param", "key"), TRANSLATED, ids=lambda v: getattr(v, "key", None))
def test_options_show_the_string_tables_labels_and_links_keep_codes(lang, page, param, key):
    other = param.options[-1]
    at = run_app(page, lang=lang, **{param.key: other})
    assert_clean(at)
    widget = at.segmented_control(key=param.key)
    labels = [STRINGS[lang][key.format(o)] for o in param.options]
    assert [o.content for o in widget.proto.options] == labels
    assert widget.value == other and at.query_params[param.key] == other  # the link's code, not its label
    widget.set_value(param.options[0]).run()
    assert_clean(at)
    assert at.query_params.get(param.key) in (None, param.options[0])  # the default is left out, as Streamlit does
    if param.options[0] != param.default:
        assert at.query_params[param.key] == param.options[0]


def sidebar_to(at, file: str) -> None:
    """Go to ``file``'s page as the sidebar does: its address carries no page settings (the shell's stay)."""
    for key in [k for k in at.query_params if k not in ("lang", "present")]:
        del at.query_params[key]
    at.switch_page(file).run()


def test_back_on_a_page_restores_what_the_student_set_there():
    at = run_app("batch_tradeoffs")
    at.slider(key="bmin").set_value(16).run()
    at.segmented_control(key="lr").set_value("0.3").run()
    at.segmented_control(key="x").set_value("updates").run()
    sidebar_to(at, "app_pages/batchnorm_last_batch.py")
    assert_clean(at)
    assert at.number_input(key="n").value == BatchNorm.N.default  # nothing leaks into the other page
    sidebar_to(at, "app_pages/batch_tradeoffs.py")
    assert_clean(at)
    assert at.slider(key="bmin").value == 16
    assert at.segmented_control(key="lr").value == "0.3"
    assert at.segmented_control(key="x").value == "updates"


def test_a_link_with_settings_opens_on_exactly_them_even_after_changes():
    at = run_app("batch_tradeoffs")
    at.slider(key="bmin").set_value(16).run()
    sidebar_to(at, "app_pages/batchnorm_last_batch.py")
    at.query_params["bmax"] = "64"  # a link to the page carrying one setting of its own
    at.switch_page("app_pages/batch_tradeoffs.py").run()
    assert_clean(at)
    assert at.slider(key="bmax").value == 64
    assert at.slider(key="bmin").value == Tradeoffs.BMIN.default  # the rest from the link: defaults
