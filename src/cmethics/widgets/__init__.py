"""The exercises' widgets: students read and code the real threads without writing code.

Every exercise notebook starts with a ``Session`` (the student's name and saved answers) and then
shows components built on ``Component``. Components are tested without a browser: tests set
``.value``, call ``.click()`` and check the saved files and the outputs.
"""

from cmethics.widgets._base import Component, Session, esc, figure_html, notice
from cmethics.widgets.coder import CodingReflection, CommentCoder
from cmethics.widgets.ego import EgoLab
from cmethics.widgets.expertise import ExpertiseSorter
from cmethics.widgets.moderation import ModerationCase
from cmethics.widgets.ownership import OwnershipLab
from cmethics.widgets.reader import ThreadReader
from cmethics.widgets.roles import RoleComparer
from cmethics.widgets.trust import TrustCase

__all__ = [
    "CodingReflection",
    "CommentCoder",
    "Component",
    "EgoLab",
    "ExpertiseSorter",
    "ModerationCase",
    "OwnershipLab",
    "RoleComparer",
    "Session",
    "ThreadReader",
    "TrustCase",
    "esc",
    "figure_html",
    "notice",
]
