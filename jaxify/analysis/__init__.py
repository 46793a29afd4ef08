"""Analyses computed once per module and read by every codemod.

``analyze(wrapper, options)`` returns the :class:`ModuleAnalysis` of the module a codemod is
visiting. Codemods reach it as ``self.analysis``; they never re-derive these facts themselves.

- ``kind_of(expr)`` / ``why(expr)``: is a value an array (traced under jit), static, or unknown,
  and the evidence ("`n` is static: parameter used as a bound of range() at line 12"). ARRAY
  covers every NumPy/jnp array result (also ``np.zeros(n)`` built from static values) and any
  container holding one; STATIC covers Python scalars, shapes, dtypes, strings, functions; a
  parameter's kind comes from its strongest evidence (annotation, then uses that need a static
  value, then uses as array data, then ``if`` tests and defaults, then what local callers pass).
- ``dtype_of(expr)``: its NumPy dtype name when the code makes it certain.
- ``qualified_name(expr)``: "numpy.zeros" for ``np.zeros``, resolved from imports.
- ``function_of(node)``: the enclosing function's :class:`FunctionInfo` (params, static argnames,
  host-only calls, kinds of every name).
- ``effects``: the one effects table (:mod:`jaxify.analysis.effects`): ``effects.effects_of(call)``
  and ``effects.is_pure(name)`` for the module's functions, lambdas and JAX-transformed callables.
- ``mutation``: every in-place write with the aliases, views and escapes it meets
  (:mod:`jaxify.analysis.mutation`); ``writes_array_in_place(statement)`` asks it for one statement.
"""

from jaxify.analysis.module import FunctionInfo, ModuleAnalysis, analyze
from jaxify.analysis.values import Kind

__all__ = ["FunctionInfo", "Kind", "ModuleAnalysis", "analyze"]
