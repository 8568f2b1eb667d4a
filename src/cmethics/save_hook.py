"""A Jupyter server pre-save hook: saved exercise notebooks say "run me", not "model not found".

A widget lives in the kernel. When a student saves an exercise notebook (or JupyterLab
autosaves it) and opens it again later, every output that showed a widget points to a model that
no longer exists, and JupyterLab prints *Error displaying widget: model not found* in each of
them until the student thinks of *Run All Cells*. This hook, called by the server on every save,
replaces those outputs in the course's notebooks (the ones that import ``cmethics``) by a short
note telling the student what to do. The widgets in the open tab are not touched, nor are the
student's answers (they live in the answers folder, not in the notebook).

The course's servers load it from ``etc/jupyter/jupyter_server_config.json`` (``make lab`` and
a hub's ``JUPYTER_CONFIG_PATH``; see the teachers' guide, *Running the course*)::

    {"ContentsManager": {"pre_save_hook": "cmethics.save_hook.scrub_widget_outputs"}}
"""

from __future__ import annotations

from typing import Any

__all__ = ["RERUN_HTML", "RERUN_TEXT", "WIDGET_MIMETYPE", "scrub_notebook", "scrub_widget_outputs"]

WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"
RERUN_TEXT = (
    "This part of the exercise is not running. Open the menu Run and choose Run All Cells to "
    "show it again; your saved answers come back when you press Continue or Start."
)
RERUN_HTML = (
    '<div style="background:#e8f0fe;color:#1a3c6e;padding:0.5em 0.8em;border-radius:4px">'
    "This part of the exercise is not running. Open the menu <em>Run</em> and choose "
    "<em>Run All Cells</em> to show it again; your saved answers come back when you press "
    "<em>Continue</em> or <em>Start</em>.</div>"
)


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _is_course_notebook(notebook: dict[str, Any]) -> bool:
    return any(
        cell.get("cell_type") == "code" and "cmethics" in _source(cell)
        for cell in notebook.get("cells", [])
    )


def scrub_notebook(notebook: dict[str, Any]) -> int:
    """Replace, in place, the widget outputs of a course notebook by the "run me" note.

    Returns the number of outputs replaced (0 for a notebook that does not use the course).
    """
    if not _is_course_notebook(notebook):
        return 0
    replaced = 0
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data")
            if isinstance(data, dict) and WIDGET_MIMETYPE in data:
                output["data"] = {"text/plain": RERUN_TEXT, "text/html": RERUN_HTML}
                output["metadata"] = {}
                replaced += 1
    if replaced:
        # A saved widget state would bring the old widgets back, frozen and disconnected.
        notebook.get("metadata", {}).pop("widgets", None)
    return replaced


def scrub_widget_outputs(model: dict[str, Any], **_kwargs: Any) -> None:
    """The server's ``pre_save_hook``: scrub a notebook model about to be written."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        scrub_notebook(model["content"])
