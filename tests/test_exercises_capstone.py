"""The capstone notebook: committed clean, runs headless, and its widgets work once started."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "exercises" / "capstone.ipynb"


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def test_the_notebook_is_committed_clean(notebook: nbformat.NotebookNode) -> None:
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert "widgets" not in notebook.metadata
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code, "no code cell"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        assert cell.metadata["jupyter"]["source_hidden"] is True
        assert cell.metadata["tags"]
    first = notebook.cells[0]
    assert first.cell_type == "code"
    assert first.source.startswith("from cmethics.widgets import ")
    assert 'session = Session("capstone")' in first.source
    assert first.source.rstrip().endswith("session.bar")


def test_the_instructions_say_how_to_save_and_export(notebook: nbformat.NotebookNode) -> None:
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "saved automatically" in text
    assert "Export my work" in text
    assert "cmethics-answers" in text
    assert "content warning" in text
    assert "Compare with\nthe reference coding" in text or "Compare with the reference" in text


def test_the_notebook_runs_headless_and_its_widgets_save(
    notebook: nbformat.NotebookNode, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMETHICS_ANSWERS", str(tmp_path))
    nb = nbformat.from_dict(json.loads(json.dumps(notebook)))
    # A last cell plays the student: start, choose a thread, code a comment, compare, reflect.
    nb.cells.append(
        nbformat.v4.new_code_cell(
            """
session.name.value = "Test Student"
session.start_button.click()
coder.thread.value = "003"
coder.single["stance"].value = "nuances"
coder.single["addressed_to"].value = "article_author"
coder.multiple["ego_markers"]["none"].value = True
coder.rationale.value = "Agreement with most of it, then announced reservations."
coder.compare_button.click()
reflection.text.value = "I disagreed on one comment."
assert "1 of 5 coded" in coder.progress.value, coder.progress.value
assert "Agreement with the reference coding" in coder.comparison.value
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
    answers = json.loads((tmp_path / "test-student" / "capstone.json").read_text("utf-8"))[
        "answers"
    ]
    assert answers["coder_thread.article_id"] == "003"
    assert answers["coder.003-c001"]["stance"] == "nuances"
    assert answers["reflection.disagreements"] == "I disagreed on one comment."
