"""A free-text reflection box, saved as it is typed (``reflection.<name>``).

The capstone closes on one (``reflection.disagreements``, after the comment coder's comparison
with the key). It is read back with :func:`cmethics.answer_format.parse_text`.

>>> from cmethics.widgets import CodingReflection
>>> box = CodingReflection("disagreements", "Where did you disagree with the key?")
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from cmethics import answer_format
from cmethics.widgets._base import Component, Session, esc

__all__ = ["CodingReflection"]


class CodingReflection(Component):
    """A free-text reflection, saved as it is typed (``reflection.<name>``).

    Parameters
    ----------
    name
        The answer's name, e.g. ``"disagreements"``.
    prompt
        What the student is asked (shown above the box).
    session
        The student's session (``None``: a preview that saves nothing).
    label
        The text box's visible label.
    """

    def __init__(
        self,
        name: str,
        prompt: str,
        session: Session | None = None,
        label: str = "Your reflection",
    ) -> None:
        super().__init__(session, key="reflection")
        self.name = name
        self.prompt = widgets.HTML(f"<p>{esc(prompt)}</p>")
        self.text = widgets.Textarea(
            description=label,
            placeholder="Write here; your text is saved as you type.",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="96%", height="10em"),
        )
        self.count = widgets.Label("0 words")
        self.text.observe(self._on_change, "value")
        self.children = [self.prompt, self.text, self.count]
        self._enable()
        self.attach()

    def _enable(self) -> None:
        # Text typed before the student starts could not be saved and would be replaced by
        # the saved text on starting: the box opens once a name is given.
        waiting = self.session is not None and self.session.store is None
        self.text.disabled = waiting
        self.text.placeholder = (
            "Type your name or pseudonym at the top of the page and press Start first."
            if waiting
            else "Write here; your text is saved as you type."
        )

    def _on_change(self, change: dict[str, Any]) -> None:
        self.count.value = f"{len(change['new'].split())} words"
        self.save(self.name, change["new"])

    def _restore(self) -> None:
        self._enable()
        self.text.value = answer_format.parse_text(self.load(self.name, "")).value or ""
