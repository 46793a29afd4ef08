"""The rewrite families, in pipeline order: each one's output is the next one's input.

API migration -> randomness -> NumPy namespace -> in-place updates -> conditionals -> loops -> jit.

Randomness runs before the NumPy namespace: once `np.random` draws are `jax.random` draws, the
namespace codemod sees the values computed from them as traced and moves their NumPy calls in the
same run. In the other order a second run would move them, and the file would fail the
idempotence check.
"""

from jaxify.codemod import Codemod
from jaxify.codemods.api_migration import ApiMigration
from jaxify.codemods.conditionals import Conditionals
from jaxify.codemods.inplace import InplaceUpdates
from jaxify.codemods.jit import JitWrap
from jaxify.codemods.loops import LoopCodemod
from jaxify.codemods.numpy_namespace import NumpyNamespace
from jaxify.codemods.randomness import Randomness

CODEMODS: tuple[type[Codemod], ...] = (ApiMigration, Randomness, NumpyNamespace, InplaceUpdates, Conditionals, LoopCodemod, JitWrap)
