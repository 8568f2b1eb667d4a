"""The role exercise notebook: committed clean, runs headless, and its widgets save once started."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "exercises" / "role.ipynb"


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
    assert 'session = Session("role")' in first.source
    assert first.source.rstrip().endswith("session.bar")
    assert "RoleComparer(session" in code[1].source
    assert "ModerationCase(session)" in code[2].source


def test_the_instructions_say_how_to_save_export_and_warn(
    notebook: nbformat.NotebookNode,
) -> None:
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "saved automatically" in text
    assert "Export my work" in text
    assert "~/cmethics-answers" in text
    assert "Content warning" in text and "Skip it and use the description" in text
    assert "class report" in text


def test_the_notebook_runs_headless_and_its_widgets_save(
    notebook: nbformat.NotebookNode, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMETHICS_ANSWERS", str(tmp_path))
    nb = nbformat.from_dict(json.loads(json.dumps(notebook)))
    # A last cell plays the student: start, place a definition, draw, then the case (skipped).
    nb.cells.append(
        nbformat.v4.new_code_cell(
            """
session.name.value = "Test Student"
session.start_button.click()
roles.go_to("connecteur")
roles.serves_slider.value = 0.5
roles.works_by.value = 0.6
roles.justification.value = "It links people."
roles.compare_box.value = True
roles.draw_button.click()
moderation.skip_button.click()
moderation.choice.value = "hide_pending_review"
moderation.justification.value = "A second look protects against mistakes. " * 6
moderation.reveal_button.click()
assert "Consequences" in moderation.feedback.value
session.export_button.click()
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
    saved = json.loads((tmp_path / "test-student" / "role.json").read_text(encoding="utf-8"))
    answers = saved["answers"]
    assert answers["roles.connecteur"] == {
        "serves": 0.5,
        "works_by": 0.6,
        "justification": "It links people.",
    }
    assert answers["moderation.choice"] == "hide_pending_review"
    # Whether the student read or skipped the abusive comment is never recorded.
    assert "moderation.viewed" not in answers and "moderation.opted_out" not in answers
    assert list((tmp_path / "exports").glob("cmethics-test-student-*.json"))
