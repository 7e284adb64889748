"""`kerasgan.plotting`: a script without a display keeps its figures."""

import sys

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from kerasgan import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def original_show(monkeypatch):
    monkeypatch.setattr(plt, "show", plt.show)  # restored after each test
    yield
    plt.close("all")


def test_show_saves_figures_next_to_the_script(tmp_path, monkeypatch, capsys):
    script = tmp_path / "01_demo.py"
    script.write_text("# a tutorial\n")
    monkeypatch.setattr(sys, "argv", [str(script)])
    folder = plotting.save_figures_without_display()
    assert folder == tmp_path / "01_demo_figures"
    plt.plot([0, 1])
    plt.figure()
    plt.plot([1, 0])
    plt.show()
    plt.plot([2, 3])
    plt.show()
    assert sorted(p.name for p in folder.iterdir()) == ["fig1.png", "fig2.png", "fig3.png"]
    assert plt.get_fignums() == []
    out = capsys.readouterr().out
    assert f"Saved figure 3 to {folder / 'fig3.png'}" in out
    assert plotting.save_figures_without_display() == folder  # idempotent


def test_without_a_script_saves_into_figures(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [""])
    assert plotting.save_figures_without_display() == plotting.Path("figures")
    plt.plot([0, 1])
    plt.show()
    assert (tmp_path / "figures" / "fig1.png").is_file()


def test_leaves_a_display_or_another_show_alone(tmp_path, monkeypatch):
    show = plt.show
    monkeypatch.setattr(matplotlib, "get_backend", lambda: "QtAgg")
    assert plotting.save_figures_without_display(tmp_path) is None
    assert plt.show is show
    monkeypatch.undo()
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)  # e.g. the docs renderer
    replaced = plt.show
    assert plotting.save_figures_without_display(tmp_path) is None
    assert plt.show is replaced
