"""The instructor guide (book/teachers/): what it tells teachers to install and to click exists.

- ``hub/requirements.txt`` pins exactly the versions of ``requirements.lock``, holds what the
  students' notebooks, JupyterLab, Voilà and the book need, leaves out the test and development
  tools, and is what ``hub/make_requirements.py`` generates from the current lock;
- every exercise notebook the guide names (``exercises/<name>.ipynb``) exists, and each lesson
  plan names its own and has a 50-minute and a 90-minute plan whose minutes follow on;
- every button and field the guide tells teachers about is a real label of the widgets;
- the built guide never prints the abusive comment 003-c002.
"""

from __future__ import annotations

import html
import importlib.util
import itertools
import re
import sys
from pathlib import Path

import ipywidgets as widgets
import pytest
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
GUIDE = sorted((ROOT / "book" / "teachers").glob("*.md"))
HUB = ROOT / "hub" / "requirements.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)(?:\s*;\s*(.+))?$")
THEMES = ("ego", "ownership", "expertise", "role", "trust", "capstone")


def load_generator():
    """Import ``hub/make_requirements.py`` (a script, not part of the package)."""
    name = "cmethics_hub_make_requirements"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "hub" / "make_requirements.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def pins(path: Path) -> list[tuple[str, str, str | None]]:
    """(name, version, marker) of every pinned line; any other non-comment line is an error."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"{path.name}: not an exact pin: {line!r}"
        name, version, marker = match.groups()
        found.append((canonicalize_name(name), version, marker))
    return found


def guide_text() -> str:
    """All the guide's pages, with line breaks folded so that labels split over lines match."""
    return re.sub(r"\s+", " ", "\n".join(p.read_text(encoding="utf-8") for p in GUIDE))


# --------------------------------------------------------------------------- the hub image


def test_hub_requirements_pin_exactly_the_lock() -> None:
    lock = set(pins(ROOT / "requirements.lock"))
    hub = pins(HUB)
    assert hub, "hub/requirements.txt lists no package"
    strays = [f"{n}=={v}" + (f" ; {m}" if m else "") for n, v, m in hub if (n, v, m) not in lock]
    assert not strays, f"not pinned as in requirements.lock: {strays}"
    assert len(hub) == len(set(hub)), "a package is listed twice"


@pytest.mark.parametrize(
    "name",
    [
        "pandas",
        "ipywidgets",
        "matplotlib",
        "jupyterlab",
        "voila",
        "spacy",
        "pyyaml",
        "networkx",
        "krippendorff",
        "statsmodels",
        "pydantic",
        "ipykernel",
        "jupyter-book",
    ],
)
def test_hub_requirements_include_the_course_runtime(name: str) -> None:
    assert canonicalize_name(name) in {n for n, _, _ in pins(HUB)}


def test_hub_requirements_include_every_runtime_and_lab_dependency() -> None:
    generator = load_generator()
    wanted = generator.root_names(ROOT / "pyproject.toml", ("lab",))
    missing = wanted - {n for n, _, _ in pins(HUB)}
    assert not missing, f"missing from hub/requirements.txt: {sorted(missing)}"


@pytest.mark.parametrize("name", ["pytest", "playwright", "axe-playwright-python", "ruff", "uv"])
def test_hub_requirements_leave_out_test_and_dev_tools(name: str) -> None:
    assert canonicalize_name(name) not in {n for n, _, _ in pins(HUB)}


def test_hub_requirements_are_generated_from_the_current_lock() -> None:
    expected = load_generator().hub_requirements()
    assert HUB.read_text(encoding="utf-8") == expected, (
        "hub/requirements.txt is out of date: run .venv/bin/python hub/make_requirements.py"
    )


# --------------------------------------------------------------------------- exercises named


def test_every_exercise_named_in_the_guide_exists() -> None:
    named = set(re.findall(r"exercises/([A-Za-z0-9_-]+)\.ipynb", guide_text()))
    assert named >= set(THEMES), f"the guide does not name every exercise: {sorted(named)}"
    missing = sorted(n for n in named if not (ROOT / "exercises" / f"{n}.ipynb").is_file())
    assert not missing, f"the guide names exercises that do not exist: {missing}"


@pytest.mark.parametrize("theme", THEMES)
def test_each_lesson_plan_names_its_notebook_and_both_lengths(theme: str) -> None:
    page = (ROOT / "book" / "teachers" / f"{theme}.md").read_text(encoding="utf-8")
    assert f"`exercises/{theme}.ipynb`" in page
    assert "50-minute" in page and "90-minute" in page


def timing_tables(page: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """Each lesson-plan table: the heading above it and its rows' minute ranges ("| 5–12 |")."""
    tables: list[tuple[str, list[tuple[int, int]]]] = []
    heading, current = "", None
    for line in page.splitlines():
        if line.startswith("#"):
            heading = line
        match = re.match(r"^\| (\d+)–(\d+) \|", line)
        if match:
            if current is None:
                current = []
                tables.append((heading, current))
            current.append((int(match[1]), int(match[2])))
        elif not line.startswith("|"):
            current = None
    return tables


@pytest.mark.parametrize("theme", THEMES)
def test_lesson_plan_timings_add_up(theme: str) -> None:
    page = (ROOT / "book" / "teachers" / f"{theme}.md").read_text(encoding="utf-8")
    tables = timing_tables(page)
    lengths = set()
    for heading, rows in tables:
        length = 50 if "50-minute" in heading else 90 if "90-minute" in heading else None
        assert length, f"a timing table under {heading!r} does not say its length"
        lengths.add(length)
        assert rows[0][0] == 0 and rows[-1][1] == length, f"{heading}: {rows}"
        gaps = [(a, b) for a, b in itertools.pairwise(rows) if a[1] != b[0]]
        assert not gaps, f"{heading}: the minutes do not follow on: {gaps}"
    assert lengths == {50, 90}, f"{theme}: plans for {sorted(lengths)} minutes only"


# --------------------------------------------------------------------------- labels named

#: Buttons, fields and boxes the guide names in bold, as the students see them.
UI_LABELS = [
    "Start",
    "Export my work",
    "Speaker",
    "Thread",
    "Whose words?",
    "Record my prediction",
    "Compute",
    "Reflection",
    "Word before « communauté »",
    "Where",
    "Your rewrite 1",
    "Check my rewrite",
    "Show the five types",
    "Next unanswered",
    "Serves",
    "Works by",
    "Why there?",
    "Show",
    "Next not placed",
    "Draw my map",
    "Show the sources’ own stances",
    "Show the comment",
    "Skip it and use the description",
    "Your response",
    "Your justification",
    "See the consequences",
    "Compare with",
    "Your choice",
    "Choose this",
    "Start again",
    "Thread to code",
    "What the codes mean",
    "Also show the comment it replies to",
    "Read the whole thread",
    "Previous",
    "Next",
    "Next uncoded",
    "Go to comment",
    "Compare with the reference coding",
    "My reflection",
    "Show this comment",
]


def _descriptions(obj: object, out: set[str], seen: set[int]) -> None:
    """Collect the ``description`` of every widget reachable from a course component."""
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, dict):
        for value in obj.values():
            _descriptions(value, out, seen)
        return
    if isinstance(obj, list | tuple):
        for value in obj:
            _descriptions(value, out, seen)
        return
    if not isinstance(obj, widgets.Widget):
        return
    description = getattr(obj, "description", None)
    if isinstance(description, str) and description:
        out.add(description)
    for child in getattr(obj, "children", ()):
        _descriptions(child, out, seen)
    # The course's own components keep some widgets outside their children until needed
    # (the trust case's justification, the moderation case's "Compare with").
    if type(obj).__module__.startswith("cmethics."):
        for value in vars(obj).values():
            _descriptions(value, out, seen)


@pytest.fixture(scope="module")
def widget_labels(tmp_path_factory) -> set[str]:
    from cmethics import widgets as cw

    root = tmp_path_factory.mktemp("answers")
    components: list[object] = []
    for exercise in THEMES:
        session = cw.Session(exercise, root=root, student="Guide Test", remember=False)
        components.append(session.bar)
    session = cw.Session("capstone", root=root, student="Guide Test", remember=False)
    components += [
        cw.ThreadReader("003", session),
        cw.EgoLab(session),
        cw.OwnershipLab(session),
        cw.ExpertiseSorter(session),
        cw.RoleComparer(session, sliders=True),
        cw.ModerationCase(session),
        cw.TrustCase(session),
        cw.CommentCoder(session=session),
        cw.CodingReflection("disagreements", "?", session=session, label="My reflection"),
    ]
    out: set[str] = set()
    seen: set[int] = set()
    for component in components:
        _descriptions(component, out, seen)
    return out


@pytest.mark.parametrize("label", UI_LABELS)
def test_labels_named_in_the_guide_are_real(label: str, widget_labels: set[str]) -> None:
    assert f"**{label}**" in guide_text(), f"the guide does not name **{label}**"
    # Number fields carry their scale after the name: "Serves (brand −1 … community +1)".
    assert any(d == label or d.startswith(f"{label} (") for d in widget_labels), (
        f"no widget is labelled {label!r}"
    )


# --------------------------------------------------------------------------- the abusive comment


@pytest.mark.book
def test_the_built_guide_never_prints_the_abusive_comment(built_book: Path) -> None:
    from cmethics import corpus

    text = corpus.comments().set_index("comment_id").loc["003-c002", "text"]
    # Any run of 25 characters of the comment would be a quotation of it.
    pieces = {text[i : i + 25] for i in range(max(1, len(text) - 24))}
    pages = sorted((built_book / "book" / "teachers").glob("*.html"))
    assert pages, "the guide's pages are not in the built book (are they in _toc.yml?)"
    for page in pages:
        shown = html.unescape(page.read_text(encoding="utf-8"))
        assert not [p for p in pieces if p in shown], f"{page.name} quotes 003-c002"
