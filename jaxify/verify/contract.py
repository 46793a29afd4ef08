"""What the rewritten function must return, given what the original returned and mutated.

The mutation contract of the in-place codemod (JX107, documented in ``codemods/inplace.py``): a
legacy function that changes some of its array arguments in place cannot do so in JAX, so its
rewrite returns the new values instead, after what it returned, in parameter order; the old
result stays one element even when it is itself a tuple:

    original returns None,   mutates a      -> rewrite returns a_new
    original returns None,   mutates a, b   -> rewrite returns (a_new, b_new)
    original returns r,      mutates a      -> rewrite returns (r, a_new)
    original returns (r, s), mutates a, b   -> rewrite returns ((r, s), a_new, b_new)

An argument counts as mutated when its value after the original call differs from a deep copy
taken before it. A function whose whole result is the one argument it mutated
(``x[i] = v; return x``) keeps returning just that. On an input where a mutation happens to change
nothing (``x /= 1``), a rewrite that appends that argument is still right: the matcher accepts
any set of appended array arguments that includes every one that changed. A rewrite that returns
only the original's result has dropped a mutation the caller could see, and fails with a message
that names the argument.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools

import numpy as np

from jaxify.verify.compare import Comparison, compare


MAX_UNCHANGED_CANDIDATES = 4  # appended-argument sets tried: 2**4 at most


@dataclasses.dataclass
class OriginalCall:
    returned: object
    mutated: dict[str, object]  # parameter name -> value after the call, in parameter order
    unchanged_arrays: dict[str, object] = dataclasses.field(default_factory=dict)  # could have been mutated
    order: tuple[str, ...] = ()  # parameter order

    def expected(self, appended: dict[str, object] | None = None):
        appended = self.mutated if appended is None else appended
        if not appended:
            return self.returned
        new_values = tuple(appended[name] for name in self.order if name in appended)
        if self.returned is None:
            return new_values[0] if len(new_values) == 1 else new_values
        return (self.returned, *new_values)


def call_original(function, args: tuple, kwargs: dict, bound_names: list[str]) -> OriginalCall:
    """Call ``function`` on deep copies of the inputs, noting which arguments it changed."""
    work_args, work_kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    returned = function(*work_args, **work_kwargs)
    mutated, unchanged = {}, {}
    for name, before, after in zip(bound_names, [*args, *kwargs.values()], [*work_args, *work_kwargs.values()]):
        if after is returned:
            continue
        if _changed(before, after):
            mutated[name] = after
        elif isinstance(after, np.ndarray):
            unchanged[name] = after
    return OriginalCall(returned, mutated, unchanged, tuple(bound_names))


def _changed(before, after) -> bool:
    if isinstance(before, np.ndarray) or isinstance(before, (list, dict)):
        try:
            return not compare(before, after, rtol=0.0, atol=0.0).equal
        except Exception:
            return False
    return False


def match(call: OriginalCall, actual, precision: str) -> Comparison:
    """Compare the rewrite's output with what the contract expects, explaining a dropped mutation."""
    result = compare(call.expected(), actual, precision=precision, exact_bools=True)
    if result.equal:
        return result
    candidates = list(call.unchanged_arrays)[:MAX_UNCHANGED_CANDIDATES]
    for chosen in itertools.chain.from_iterable(
            itertools.combinations(candidates, size) for size in range(1, len(candidates) + 1)):
        appended = {**call.mutated, **{name: call.unchanged_arrays[name] for name in chosen}}
        if compare(call.expected(appended), actual, precision=precision, exact_bools=True).equal:
            return compare(call.expected(appended), actual, precision=precision, exact_bools=True)
    if not call.mutated:
        return result
    if compare(call.returned, actual, precision=precision, exact_bools=True).equal:
        names = ", ".join(f"`{name}`" for name in call.mutated)
        result.message = (f"the original changes argument {names} in place, and the rewrite neither returns "
                          f"its new value (appended to the results) nor keeps the mutation: the caller "
                          f"loses the update")
    return result
