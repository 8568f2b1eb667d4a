"""The branching trust scenario (``trust_scenario.yaml``): nodes, choices, endings, graph checks."""

from __future__ import annotations

from collections import deque
from typing import Literal

from pydantic import Field, model_validator

from cmethics.course._model import Id, Text, _Model, _unique
from cmethics.course.loading import _load
from cmethics.course.shared import Argument, Quotation, Rubric

__all__ = [
    "Ending",
    "ScenarioChoice",
    "ScenarioNode",
    "TrustScenario",
    "trust_scenario",
]


class ScenarioChoice(_Model):
    id: Id
    label: Text
    leads_to: Id
    consequence: Text
    arguments: tuple[Argument, ...] = Field(min_length=1)


class ScenarioNode(_Model):
    """A step of the scenario: a situation and 2 to 4 choices."""

    id: Id
    title: Text
    situation: Text
    choices: tuple[ScenarioChoice, ...] = Field(min_length=2, max_length=4)


class Ending(_Model):
    """An ending of the scenario."""

    id: Id
    title: Text
    outcome: Literal["good", "mixed", "bad"]
    text: Text
    arguments: tuple[Argument, ...] = ()


class TrustScenario(_Model):
    """The branching trust scenario (``trust_scenario.yaml``)."""

    schema_version: Literal[1]
    id: Id
    title: Text
    intro: Text
    source_quotes: tuple[Quotation, ...] = ()
    start: Id
    nodes: tuple[ScenarioNode, ...] = Field(min_length=6, max_length=10)
    endings: tuple[Ending, ...] = Field(min_length=2)
    rubric: Rubric

    @model_validator(mode="after")
    def _graph(self) -> TrustScenario:
        node_ids = [n.id for n in self.nodes]
        ending_ids = [e.id for e in self.endings]
        _unique(node_ids + ending_ids, "node or ending")
        if self.start not in node_ids:
            raise ValueError(f"start {self.start!r} is not a node")
        targets = set(node_ids) | set(ending_ids)
        for n in self.nodes:
            _unique([c.id for c in n.choices], f"choice in node {n.id!r}")
            for c in n.choices:
                if c.leads_to not in targets:
                    raise ValueError(f"{n.id}.{c.id} leads to unknown {c.leads_to!r}")
        unreached = targets - self._reachable_from(self.start)
        if unreached:
            raise ValueError(f"unreachable from the start: {sorted(unreached)}")
        # Every node must still lead to some ending: no loop that traps the student.
        trapped = [n for n in node_ids if not (self._reachable_from(n) & set(ending_ids))]
        if trapped:
            raise ValueError(f"no ending can be reached from {trapped}")
        return self

    def _reachable_from(self, start: str) -> set[str]:
        edges = {n.id: [c.leads_to for c in n.choices] for n in self.nodes}
        seen, queue = {start}, deque([start])
        while queue:
            for nxt in edges.get(queue.popleft(), []):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def node(self, node_id: str) -> ScenarioNode:
        """Return the node with this id (``KeyError`` if it is not a node)."""
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def ending(self, ending_id: str) -> Ending:
        """Return the ending with this id (``KeyError`` if it is not an ending)."""
        for e in self.endings:
            if e.id == ending_id:
                return e
        raise KeyError(ending_id)

    def is_ending(self, target_id: str) -> bool:
        """Tell whether a choice's ``leads_to`` is an ending rather than a node."""
        return any(e.id == target_id for e in self.endings)


def trust_scenario() -> TrustScenario:
    """Load the branching trust scenario; its graph is checked on load.

    Every choice leads to an existing node or ending, every node and ending is reachable
    from the start, and an ending can be reached from every node.

    Raises
    ------
    CourseDataError
        If ``data/course/trust_scenario.yaml`` is missing or malformed.
    """
    return _load("trust", TrustScenario)
