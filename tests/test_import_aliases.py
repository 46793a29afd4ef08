"""The names the codemods write follow the module's imports (jaxify.import_aliases).

Each case is a pass's input and the codemods' output (canonical ``jnp.`` / ``lax.`` / ``jax.``),
and what the output becomes. The whole-pipeline cases, run under jax.jit, are the fixtures in
tests/fixtures/import_aliases/.
"""

from __future__ import annotations

import textwrap

import jax
import numpy as np
import pytest

from harness import FIXTURES, load_module
from jaxify.import_aliases import follow_module_imports


def _follow(before: str, after: str) -> str:
    return follow_module_imports(textwrap.dedent(before), textwrap.dedent(after))


RENAMED = [
    pytest.param(
        """
        import numpy as np
        import jax.numpy as jn
        def f(x):
            return np.sum(x)  # total
        """,
        """
        import numpy as np
        import jax.numpy as jn
        import jax.numpy as jnp
        def f(x):
            return jnp.sum(x)  # total
        """,
        """
        import numpy as np
        import jax.numpy as jn
        def f(x):
            return jn.sum(x)  # total
        """,
        id="jnp_to_module_alias_and_duplicate_import_removed",
    ),
    pytest.param(
        """
        from jax import numpy as jnp2
        def f(x, y):
            return x
        """,
        """
        from jax import numpy as jnp2
        import jax.numpy as jnp
        def f(x, y):
            return jnp.where(x > 0, x, jnp.zeros_like(x))
        """,
        """
        from jax import numpy as jnp2
        def f(x, y):
            return jnp2.where(x > 0, x, jnp2.zeros_like(x))
        """,
        id="from_jax_import_numpy_as",
    ),
    pytest.param(
        """
        import jax.random as jr
        def f(n):
            return n
        """,
        """
        import jax.random as jr
        import jax
        def f(n, *, key):
            key, sub = jax.random.split(key)
            return jax.random.normal(sub, n)
        """,
        """
        import jax.random as jr
        def f(n, *, key):
            key, sub = jr.split(key)
            return jr.normal(sub, n)
        """,
        id="jax_random_prefix_to_its_alias",
    ),
    pytest.param(
        """
        import jax as j
        import jax.random as jr
        def f(x):
            return x
        """,
        """
        import jax as j
        import jax.random as jr
        import jax
        @jax.jit
        def f(x, key):
            return x + jax.random.normal(key)
        """,
        """
        import jax as j
        import jax.random as jr
        @j.jit
        def f(x, key):
            return x + jr.normal(key)
        """,
        id="longest_aliased_prefix_wins",
    ),
    pytest.param(
        """
        import jax.numpy as jnp
        def f(x, lax):
            return x * lax
        """,
        """
        import jax.numpy as jnp
        from jax import lax
        def f(x, lax):
            return lax.cond(x > 0, lambda: x, lambda: -x) * lax
        """,
        """
        import jax.numpy as jnp
        import jax.lax as lax_2

        def f(x, lax):
            return lax_2.cond(x > 0, lambda: x, lambda: -x) * lax
        """,
        id="shadowed_root_gets_a_fresh_import",
    ),
    pytest.param(
        """
        import jax.numpy as jn
        def f(x):
            jn = 3
            return x + jn
        """,
        """
        import jax.numpy as jn
        import jax.numpy as jnp
        def f(x):
            jn = 3
            return jnp.asarray(x) + jn
        """,
        """
        import jax.numpy as jn
        import jax.numpy as jnp
        def f(x):
            jn = 3
            return jnp.asarray(x) + jn
        """,
        id="alias_shadowed_locally_keeps_the_canonical_name",
    ),
    pytest.param(
        """
        import numpy as jnp
        def f(x):
            return jnp.float64(x)
        """,
        """
        import numpy as jnp
        import jax.numpy as jnp
        def f(x):
            return jnp.asarray(jnp.float64(x))
        """,
        """
        import numpy as jnp
        import jax.numpy as jnp_2

        def f(x):
            return jnp_2.asarray(jnp.float64(x))
        """,
        id="module_level_name_of_another_module_is_not_rebound",
    ),
]


@pytest.mark.parametrize("before,after,expected", RENAMED)
def test_written_roots_follow_the_module_imports(before, after, expected):
    output = _follow(before, after)
    assert output == textwrap.dedent(expected)
    assert follow_module_imports(output, output) == output


UNCHANGED = [
    pytest.param(
        """
        import numpy as np
        def f(x):
            return np.sum(x)
        """,
        """
        import numpy as np
        import jax.numpy as jnp
        def f(x):
            return jnp.sum(x)
        """,
        id="no_alias_no_shadow",
    ),
    pytest.param(
        """
        import jax.numpy as jn
        def f(x, jnp):
            return jnp.sum(x)
        """,
        """
        import jax.numpy as jn
        def f(x, jnp):
            y = jnp.sum(x)
            return y
        """,
        id="the_users_own_jnp_is_not_renamed",
    ),
    pytest.param(
        """
        import jax as j
        import jax
        def f(x):
            return x
        """,
        """
        import jax as j
        import jax
        def f(x):
            return jax.jit(x)
        """,
        id="a_root_the_user_imported_keeps_its_import",
    ),
    pytest.param(
        """
        from jax import jit
        def f(x):
            return x
        """,
        """
        from jax import jit
        import jax
        @jax.jit
        def f(x):
            return x
        """,
        id="a_function_imported_from_jax_is_not_a_module_alias",
    ),
]


@pytest.mark.parametrize("before,after", UNCHANGED)
def test_outputs_that_stay_as_written(before, after):
    assert _follow(before, after) == textwrap.dedent(after)


def test_a_module_without_jax_aliases_or_shadowed_roots_is_not_parsed(monkeypatch):
    def no_parse(*args, **kwargs):
        raise AssertionError("parsed a module that needs no renaming")

    monkeypatch.setattr("jaxify.import_aliases.cst.parse_module", no_parse)
    before = "import numpy as np\nimport jax.numpy as jnp\ndef f(x):\n    return np.sum(x)\n"
    after = before.replace("np.sum", "jnp.sum")
    assert follow_module_imports(before, after) == after


def test_random_alias_rewrite_draws_under_jit():
    """The rewritten random_alias fixture (jr. everywhere) runs under jax.jit with its threaded key."""
    rewritten = load_module((FIXTURES / "import_aliases" / "random_alias.expected.py").read_text(), "random_alias")
    assert hasattr(rewritten.noise, "lower") and hasattr(rewritten.simulate, "lower")  # jitted by the rewrite
    draws = rewritten.noise(20_000, 2.0, key=jax.random.key(3))
    assert draws.shape == (20_000,)
    assert abs(float(np.mean(draws))) < 0.05 and abs(float(np.std(draws)) - 2.0) < 0.05
    sample = rewritten.simulate(7, 5)
    assert sample.shape == (5,) and np.all(np.isfinite(sample))
