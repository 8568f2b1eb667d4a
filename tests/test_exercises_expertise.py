"""The expertise exercise notebook: committed clean, runs headless, its widgets save."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from cmethics.widgets import ExpertiseSorter, ThreadReader

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "exercises" / "expertise.ipynb"


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def labels(widget) -> set[str]:
    """Every description and button label of a widget tree (what the instructions may name)."""
    found = set()
    description = getattr(widget, "description", None)
    if isinstance(description, str):
        found.add(description)
    for child in getattr(widget, "children", ()):
        found |= labels(child)
    return found


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
        assert "widgets" not in cell.metadata
    first = notebook.cells[0]
    assert first.source.startswith("from cmethics.widgets import ")
    assert 'session = Session("expertise")' in first.source
    assert first.source.rstrip().endswith("session.bar")
    assert 'ThreadReader("002", session)' in code[1].source
    assert "ExpertiseSorter(session)" in code[2].source


def test_the_instructions_say_how_to_save_and_export_and_name_real_controls(
    notebook: nbformat.NotebookNode,
) -> None:
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "saved automatically" in text
    assert "Export my work" in text
    assert "~/cmethics-answers" in text
    # Every control the instructions name in bold exists in the exercise's widgets.
    named = set(re.findall(r"\*\*([^*]+)\*\*", text)) - {
        "Time:",
        "Your work is saved automatically",
        "Export my work",
        "Start",
    }
    shown = labels(ExpertiseSorter()) | labels(ThreadReader("002"))
    assert named <= shown, named - shown


def test_the_notebook_runs_headless_and_its_widgets_save(
    notebook: nbformat.NotebookNode, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMETHICS_ANSWERS", str(tmp_path))
    nb = nbformat.from_dict(json.loads(json.dumps(notebook)))
    # A last cell plays the student.
    nb.cells.append(
        nbformat.v4.new_code_cell(
            """
session.name.value = "Test Student"
session.start_button.click()
sorter.choice.value = "expert"
sorter.next_unanswered_button.click()
sorter.choice.value = "gourou"
assert "matches the key" in sorter.feedback.value, sorter.feedback.value
assert "2 of 14 matched the key" in sorter.score.value, sorter.score.value
session.export_button.click()
"""
        )
    )
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
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
    answers = json.loads((tmp_path / "test-student" / "expertise.json").read_text(encoding="utf-8"))
    answers = answers["answers"]
    assert answers["expertise.item_01"] == {"answer": "expert", "matches_key": True}
    assert answers["expertise.item_02"] == {"answer": "gourou", "matches_key": True}
    assert list((tmp_path / "exports").glob("cmethics-test-student-*.json"))
