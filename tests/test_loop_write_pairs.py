"""Adjacent element writes merged into one update (codemods/loop_write_pairs.py): only where the
two places provably differ and the second value does not read the first place."""

from __future__ import annotations

import libcst as cst
import numpy as np
import pytest

from jaxify.analysis.expressions import code_of
from jaxify.codemods.loop_write_pairs import merge_write_pairs


def merged(source: str) -> list[str]:
    return [code_of(statement).strip() for statement in merge_write_pairs(cst.parse_module(source).body)]


def test_a_swap_becomes_one_update_of_both_places():
    out = merged("t = x[i]\nx = x.at[i].set(x[i + 1])\nx = x.at[i + 1].set(t)\n")
    assert out == ["t = x[i]", "x = x.at[jnp.array([i, i + 1])].set(jnp.stack([x[i + 1], t]))"]


@pytest.mark.parametrize("source", [
    "x = x.at[i].set(a)\nx = x.at[j].set(b)\n",  # i and j may be the same place
    "x = x.at[i].set(a)\nx = x.at[i + 1].set(x[i] + 1)\n",  # reads what the first write wrote
    "x = x.at[i].set(a)\nx = x.at[i + 1].set(x.sum())\n",  # reads the whole array after the write
    "x = x.at[i].set(a)\ny = y.at[i + 1].set(b)\n",  # two arrays
    "x = x.at[i].add(a)\nx = x.at[i + 1].set(b)\n",  # an update that is not a set
    "y = x.at[i].set(a)\ny = x.at[i + 1].set(b)\n",  # each a new array from `x`: the second drops the first
])
def test_pairs_that_are_not_provably_the_same_stay_two_updates(source):
    assert len(merged(source)) == 2


def test_the_merged_update_computes_what_the_two_updates_compute():
    import jax.numpy as jnp

    x = jnp.arange(6.0)
    for i in range(5):
        t = x[i]
        two = x.at[i].set(x[i + 1]).at[i + 1].set(t)
        one = x.at[jnp.array([i, i + 1])].set(jnp.stack([x[i + 1], t]))
        np.testing.assert_array_equal(np.asarray(two), np.asarray(one))
