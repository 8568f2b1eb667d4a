"""The server's pre-save hook: a reopened exercise says "run me", not "model not found"."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
from book_support import ROOT

from cmethics.save_hook import RERUN_TEXT, WIDGET_MIMETYPE, scrub_notebook, scrub_widget_outputs


def _executed_exercise() -> nbformat.NotebookNode:
    # What JupyterLab saves after Run All: the session cell shows a widget.
    notebook = nbformat.read(ROOT / "exercises" / "ego.ipynb", as_version=4)
    code = next(c for c in notebook.cells if c.cell_type == "code")
    code.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/plain": "VBox(children=(...))",
                WIDGET_MIMETYPE: {"model_id": "0123", "version_major": 2, "version_minor": 0},
            },
        ),
        nbformat.v4.new_output("stream", name="stdout", text="printed\n"),
    ]
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return notebook


def test_a_saved_exercise_keeps_no_widget_that_would_say_model_not_found() -> None:
    notebook = _executed_exercise()
    model = {"type": "notebook", "content": notebook}
    scrub_widget_outputs(model=model, path="ego.ipynb", contents_manager=None)
    outputs = next(c for c in notebook.cells if c.cell_type == "code").outputs
    assert WIDGET_MIMETYPE not in outputs[0]["data"]
    assert outputs[0]["data"]["text/plain"] == RERUN_TEXT and "Run All Cells" in RERUN_TEXT
    assert outputs[1]["text"] == "printed\n"  # other outputs are left alone
    assert "widgets" not in notebook.metadata
    nbformat.validate(notebook)


def test_other_notebooks_and_files_are_left_alone() -> None:
    other = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("import ipywidgets; ipywidgets.IntSlider()")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={WIDGET_MIMETYPE: {"model_id": "1"}})
    ]
    other.cells = [cell]
    assert scrub_notebook(other) == 0 and WIDGET_MIMETYPE in cell.outputs[0]["data"]
    text_model = {"type": "file", "content": "cmethics"}
    scrub_widget_outputs(model=text_model, path="notes.txt")
    assert text_model["content"] == "cmethics"


def test_the_course_server_config_loads_the_hook() -> None:
    config = json.loads((ROOT / "etc" / "jupyter" / "jupyter_server_config.json").read_text())
    hook = config["ContentsManager"]["pre_save_hook"]
    # The import string a server resolves, in a fresh interpreter.
    probe = (
        "from traitlets.utils.importstring import import_item; "
        f"import cmethics.save_hook as m; assert import_item({hook!r}) is m.scrub_widget_outputs"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)
    assert "JUPYTER_CONFIG_PATH=$(CURDIR)/etc/jupyter" in (ROOT / "Makefile").read_text()
