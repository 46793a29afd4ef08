"""The rewrite families, in pipeline order: each one's output is the next one's input.

API migration -> randomness -> NumPy namespace -> in-place updates -> conditionals -> loops -> jit.

The engine repeats the whole pipeline until a pass changes nothing (at most four passes), so the
order decides how many passes a file needs, not what it becomes. Randomness runs before the NumPy
namespace so that, once `np.random` draws are `jax.random` draws, the namespace codemod moves the
NumPy calls computed from them in the same pass. No codemod reads another's findings: what they
share are the facts of the module analysis (values, effects, mutation).
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
