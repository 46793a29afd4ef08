"""The rewrite families, in pipeline order: each one's output is the next one's input.

API migration -> NumPy namespace -> randomness -> in-place updates -> conditionals -> loops -> jit.
"""

from jaxify.codemod import Codemod
from jaxify.codemods.api_migration import ApiMigration
from jaxify.codemods.conditionals import Conditionals
from jaxify.codemods.inplace import InplaceUpdates
from jaxify.codemods.jit import JitWrap
from jaxify.codemods.loops import LoopCodemod
from jaxify.codemods.numpy_namespace import NumpyNamespace
from jaxify.codemods.randomness import Randomness

CODEMODS: tuple[type[Codemod], ...] = (ApiMigration, NumpyNamespace, Randomness, InplaceUpdates, Conditionals, LoopCodemod, JitWrap)
