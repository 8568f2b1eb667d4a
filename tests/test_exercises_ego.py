"""The ego exercise notebook: committed clean, runs headless, and its widgets save once started."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "exercises" / "ego.ipynb"


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def test_the_notebook_is_committed_clean(notebook: nbformat.NotebookNode) -> None:
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert "widgets" not in notebook.metadata
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert len(code) == 3
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        assert cell.metadata["jupyter"]["source_hidden"] is True
        assert cell.metadata["tags"]
    first = notebook.cells[0]
    assert first.source.startswith("from cmethics.widgets import ")
    assert 'session = Session("ego")' in first.source
    assert first.source.rstrip().endswith("session.bar")
    assert 'ThreadReader("000", session)' in code[1].source
    assert "EgoLab(session)" in code[2].source


def test_the_instructions_say_how_to_save_and_export(notebook: nbformat.NotebookNode) -> None:
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "saved automatically" in text
    assert "Export my work" in text
    assert "~/cmethics-answers" in text
    assert "Record my prediction" in text and "Compute" in text


def test_the_notebook_runs_headless_and_its_widgets_save(
    notebook: nbformat.NotebookNode, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMETHICS_ANSWERS", str(tmp_path))
    nb = nbformat.from_dict(json.loads(json.dumps(notebook)))
    # A last cell plays the student: start, predict, record, compute, reflect.
    nb.cells.append(
        nbformat.v4.new_code_cell(
            """
session.name.value = "Test Student"
session.start_button.click()
lab.subject.value = "author"
lab.predictions["i"].value = 3
lab.record_button.click()
lab.compute_button.click()
lab.reflection.value = "Fewer « je » than I thought."
assert "Actual" in lab.result.value, lab.result.value
"""
        )
    )
    client = NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    errors = [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error" or output.get("name") == "stderr"
    ]
    assert not errors, errors
    answers = json.loads((tmp_path / "test-student" / "ego.json").read_text(encoding="utf-8"))
    assert answers["answers"]["ego.result.000.author"]["prediction"]["i"] == 3.0
    assert answers["answers"]["ego.reflection"] == "Fewer « je » than I thought."
