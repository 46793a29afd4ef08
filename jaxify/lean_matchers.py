"""LibCST's import visitors, without their per-instance matcher bookkeeping.

LibCST's ``AddImportsVisitor`` and ``RemoveImportsVisitor`` (and the gathering visitors they
construct) are matcher-decoratable: every instance looks through all of its attributes, about
seven hundred ``visit_*`` and ``leave_*`` hooks, three times over, for functions decorated with
``@visit``, ``@leave``, ``@call_if_inside`` or ``@call_if_not_inside``. None of them has one, and
the search takes about six in seven parts of adding an import to a module's head (about 15 ms
per codemod that adds one).

``known_undecorated`` answers the search from memory for a visitor class whose instances were
already found to have no decorated function, and whose instance holds no decorated function
itself (the only way two instances of a class could differ); any other class is searched as
LibCST searches it. The answer is the same as LibCST's: an empty mapping.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Iterator

from libcst.matchers import _visitors

# LibCST's searches, by the name its matcher-decoratable visitors call them by
_SEARCHES = ("_gather_constructed_visit_funcs", "_gather_constructed_leave_funcs", "_gather_matchers")
# The attributes LibCST's decorators put on the functions they decorate
_DECORATOR_MARKS = tuple(getattr(_visitors, name) for name in (
    "CONSTRUCTED_VISIT_MATCHER_ATTR", "CONSTRUCTED_LEAVE_MATCHER_ATTR", "VISIT_POSITIVE_MATCHER_ATTR",
    "VISIT_NEGATIVE_MATCHER_ATTR") if hasattr(_visitors, name))
# per search, the visitor classes it found nothing in (weakly held: a class may be dropped)
_FOUND_NOTHING: dict[str, weakref.WeakSet] = {name: weakref.WeakSet() for name in _SEARCHES}


def _holds_decorated(visitor: object) -> bool:
    """Whether the instance itself (not its class) holds a decorated function."""
    return any(hasattr(value, mark) for value in getattr(visitor, "__dict__", {}).values()
               for mark in _DECORATOR_MARKS)


def _remembering(name: str, search: Callable[[object], dict]) -> Callable[[object], dict]:
    found_nothing = _FOUND_NOTHING[name]

    def remembered(visitor: object) -> dict:
        if type(visitor) in found_nothing and not _holds_decorated(visitor):
            return {}
        found = search(visitor)
        if not found and not _holds_decorated(visitor):
            found_nothing.add(type(visitor))
        return found

    return remembered


@contextlib.contextmanager
def known_undecorated() -> Iterator[None]:
    """Within: LibCST's matcher-decoratable visitors search a class already found to have no
    decorated function no more (see the module's docstring)."""
    if len(_DECORATOR_MARKS) != 4 or not all(callable(getattr(_visitors, name, None)) for name in _SEARCHES):
        yield  # a LibCST that marks or searches otherwise: its own searches
        return
    originals = {name: getattr(_visitors, name) for name in _SEARCHES}
    for name, search in originals.items():
        setattr(_visitors, name, _remembering(name, search))
    try:
        yield
    finally:
        for name, search in originals.items():
            setattr(_visitors, name, search)
