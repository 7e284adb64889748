"""Tests of the browser check's measurements, tools/check_site.py.

The check itself needs Chromium and a built site (CI runs it after the docs
build); these tests cover the decisions it takes on what the browser
measured, without a browser.
"""

from tool_testing import load_tool

cs = load_tool("check_site.py", "check_site_under_test")

FIG = "http://127.0.0.1:8000/tutorials/01_first_gan_files/fig4.png"


def _state(src=FIG, top=200, height=450):
    return {"firstImage": {"src": src, "top": top, "height": height}}


def test_a_tutorial_that_opens_with_its_result_passes():
    assert cs.first_screen_problems("tutorials/01_first_gan.html", _state(), True) == []


def test_a_result_below_the_first_screen_is_reported():
    problems = cs.first_screen_problems(
        "tutorials/01_first_gan.html", _state(top=700), True
    )
    assert len(problems) == 1 and "fig4.png" in problems[0]


def test_a_small_result_must_show_whole():
    state = _state(top=650, height=120)  # all of it above 800 px
    assert cs.first_screen_problems("tutorials/x.html", state, True) == []
    state = _state(top=700, height=120)
    assert cs.first_screen_problems("tutorials/x.html", state, True)


def test_a_tutorial_must_open_with_its_own_figure():
    state = _state(src="http://127.0.0.1:8000/assets/logo.png")
    assert cs.first_screen_problems("tutorials/x.html", state, True)


def test_home_and_gallery_need_a_picture_other_pages_do_not():
    for rel in cs.RESULT_FIRST_PAGES:
        assert cs.first_screen_problems(rel, {"firstImage": None}, False)
    assert cs.first_screen_problems("concepts/losses.html", {}, False) == []
