"""Callback latency of the expertise sorter, the trust case and the ownership lab.

Run: ``.venv/bin/python benchmarks/bench_labs.py [calls] [--kernel]`` (default 300 calls per
callback; at least 200 for the figures in docs/performance.md). With ``--kernel`` the same
measurements run inside a Jupyter kernel (started with nbclient), where every widget change is
also serialised and sent as a comm message, as in JupyterLab or Voilà (no browser is attached,
so rendering is still not included).

Prints p50 / p95 / max in milliseconds for each action a student triggers:

- expertise sorter: choosing a type (immediate feedback, saved), Next, "Next unanswered";
- trust case: "Choose this" (one step of the scenario, saved; it includes reaching an ending
  and saving the attempt one time in four or five), "Start again", a keystroke in the
  justification;
- ownership lab: changing the form (the sentences of the longest list, « la », page one),
  changing the scope (the chart is drawn once per scope and then cached: the first drawing of
  each scope is reported apart), Next page, a keystroke in a rewrite, and "Check my rewrite"
  (spaCy's tokenizer, after the first check, which loads it and is reported apart).

The trust case's longest thread is 004, the scenario's source: the case reads the corpus only
when it is built. Answers are saved to a temporary folder, as in class (atomic write and fsync
on every change). The budget is p95 <= 100 ms. Without ``--kernel`` no comm is attached: the
figures are the Python side of each callback only. Figures belong in docs/performance.md, not
in tests.
"""

from __future__ import annotations

import tempfile
import time

from callbacks import measure, once, report, run

from cmethics import course
from cmethics.widgets import ExpertiseSorter, OwnershipLab, Session, TrustCase


def bench_expertise(root: str, calls: int) -> list[tuple[str, list[float]]]:
    session = Session("expertise", root=root, student="Bench", remember=False)
    start = time.perf_counter()
    sorter = ExpertiseSorter(session)
    built = [(time.perf_counter() - start) * 1000]
    types = [t.id for t in course.expertise_typology()]
    n = len(sorter.items)

    def choose(i: int) -> None:
        sorter.choice.value = types[(types.index(sorter.choice.value) + 1) % len(types)]

    sorter.go_to_index(0)
    sorter.choice.value = types[0]

    def next_item(i: int) -> None:
        if sorter.next_button.disabled:
            sorter.go_to_index(0)
        sorter.next_button.click()

    def next_unanswered(i: int) -> None:
        sorter.next_unanswered_button.click()

    results = [("expertise: build", built)]
    results.append(measure("expertise: choose a type (feedback, save)", choose, calls))
    results.append(measure("expertise: Next", next_item, calls))
    # Half the items answered, so that "Next unanswered" has gaps to jump to.
    for k in range(0, n, 2):
        sorter.go_to_index(k)
        sorter.choice.value = types[k % len(types)]
    results.append(measure("expertise: Next unanswered (7 of 14 answered)", next_unanswered, calls))
    return results


def bench_trust(root: str, calls: int) -> list[tuple[str, list[float]]]:
    session = Session("trust", root=root, student="Bench", remember=False)
    start = time.perf_counter()
    case = TrustCase(session)
    built = [(time.perf_counter() - start) * 1000]
    scenario = course.trust_scenario()

    def step(i: int) -> None:
        if case.ended:
            case.start_again()
        node = scenario.node(case.position)
        case.choice.value = node.choices[i % len(node.choices)].id
        case.choose_button.click()

    def restart(i: int) -> None:
        if case.ended:
            case.start_again()
        case.choice.value = scenario.node(case.position).choices[0].id
        case.choose()  # one step, untimed, so that there is a path to abandon
        start = time.perf_counter()
        case.restart_button.click()
        timings.append((time.perf_counter() - start) * 1000)

    def keystroke(i: int) -> None:
        case.justification.value += "x"

    results = [("trust: build", built)]
    results.append(measure("trust: Choose this (one step, saved)", step, calls))
    timings: list[float] = []
    for i in range(calls):
        restart(i)
    results.append((f"trust: Start again ({len(case.attempts)} attempts kept)", timings))
    results.append(measure("trust: justification keystroke", keystroke, calls))
    return results


def bench_ownership(root: str, calls: int) -> list[tuple[str, list[float]]]:
    session = Session("ownership", root=root, student="Bench", remember=False)
    start = time.perf_counter()
    lab = OwnershipLab(session)
    built = [(time.perf_counter() - start) * 1000]
    forms = [value for _label, value in lab.form.options]
    scopes = [value for _label, value in lab.scope.options]

    def change_form(i: int) -> None:
        lab.form.value = forms[i % len(forms)] if i % 2 else "la"

    results = [("ownership: build (mentions loaded once per process)", built)]
    first_scope = []
    for scope in scopes:
        if scope == lab.scope.value:
            continue
        _name, times = once("", lambda s=scope: setattr(lab.scope, "value", s))
        first_scope += times
    results.append(
        (
            f"ownership: scope change, first drawing of a chart ({len(first_scope)} scopes)",
            first_scope,
        )
    )

    def change_scope(i: int) -> None:
        lab.scope.value = scopes[i % len(scopes)]

    lab.scope.value = "all"
    results.append(measure("ownership: form change", change_form, calls))
    results.append(measure("ownership: scope change (chart cached)", change_scope, calls))
    lab.form.value, lab.scope.value = "all", "all"

    def next_page(i: int) -> None:
        if lab.next_button.disabled:
            lab.go_to_page(0)
        else:
            lab.next_button.click()

    def keystroke(i: int) -> None:
        lab.rewrites[0].value += "x"

    results.append(measure("ownership: Next page (139 mentions)", next_page, calls))
    results.append(measure("ownership: rewrite keystroke (saved)", keystroke, calls))
    lab.rewrites[1].value = "Se mettre en retrait derrière sa communauté pour mieux la servir."
    results.append(once("ownership: first Check my rewrite (loads spaCy)", lambda: lab.check(2)))
    results.append(measure("ownership: Check my rewrite", lambda i: lab.check(2), calls))
    return results


def main(calls: int = 300) -> None:
    root = tempfile.mkdtemp(prefix="cmethics-bench-")
    results = bench_expertise(root, calls) + bench_trust(root, calls) + bench_ownership(root, calls)
    print(f"Labs: {calls} calls per callback; answers in {root}")
    for name, times in results:
        report(name, times)


if __name__ == "__main__":
    run(__file__, main)
