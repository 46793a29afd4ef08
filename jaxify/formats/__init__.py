"""Output formats: one module per audience, each a function from a RunReport to text.

``text`` is for a person at a terminal (see :mod:`jaxify.formats.text`, which also streams);
``github``, ``gitlab``, ``junit`` and ``markdown`` are for review tools and list what needs a
decision (and the fixes with ``--show-fixes``); ``json``, ``json-lines`` and ``sarif`` are for
machines and carry every finding, with its rule, end position, applicability and edits.
"""

from __future__ import annotations

from collections.abc import Callable

from jaxify.formats import ci, machine, sarif
from jaxify.report import RunReport

RENDERERS: dict[str, Callable[[RunReport], str]] = {
    "json": machine.to_json,
    "json-lines": machine.to_json_lines,
    "sarif": sarif.to_sarif,
    "github": ci.to_github,
    "gitlab": ci.to_gitlab,
    "junit": ci.to_junit,
    "markdown": ci.to_markdown,
}

FORMATS = ("text", *RENDERERS)


def render(name: str, report: RunReport) -> str:
    return RENDERERS[name](report)
