"""What a call does besides computing its result: the one table of effects every codemod reads.

``effects_of(call, resolve, is_pure_function)`` answers with a set of :class:`Effect` (empty: a pure
computation that also runs on traced values). Codemods keep only their policy, which effects block
*them*: a conditional evaluates both branches, so any side effect blocks it; a traced loop body
also needs values it can trace; an index evaluated twice only cares about side effects.
:class:`ModuleEffects` answers ``is_pure(function)`` for the module's own functions (through the
helpers they call, with one recursion guard), and for names bound to callables that JAX transforms
or ``functools.partial`` made from them (``g = jax.grad(loss)``).

Facts, not guesses: a builtin, NumPy function or method not in the tables below is UNKNOWN.
"""

from __future__ import annotations

import enum
from typing import Callable

import libcst as cst

from jaxify.analysis.tree import visit, walk

Resolve = Callable[[cst.CSTNode], "str | None"]


class Effect(str, enum.Enum):
    IO = "io"  # reads or writes files, the terminal, or runs code (print, open, np.save, ...)
    GLOBAL_RANDOM = "global-random"  # draws from a global random state (np.random.*, random.*)
    GLOBAL_STATE = "global-state"  # changes process-wide settings (np.seterr, np.set_printoptions)
    WRITES_ARGUMENT = "writes-argument"  # writes an argument in place (np.copyto, np.add.at, ...)
    MUTATES_RECEIVER = "mutates-receiver"  # a method that changes its object (list.append, a.sort())
    HOST_CALLBACK = "host-callback"  # jax.debug.*, io_callback, pure_callback: legal under jit, effectful
    CONCRETE = "concrete"  # needs a concrete value: raises on a traced one (float(x), x.item(), max(a, b))
    HOST_NUMPY = "host-numpy"  # computes with NumPy on the host: fine on static values, not traced ones
    UNKNOWN = "unknown"  # nothing shows what it does


# Effects that change something other than the call's result: what makes running a call twice,
# or on both branches of an `if`, observable.
SIDE_EFFECTS = frozenset({
    Effect.IO, Effect.GLOBAL_RANDOM, Effect.GLOBAL_STATE, Effect.WRITES_ARGUMENT, Effect.MUTATES_RECEIVER,
    Effect.HOST_CALLBACK, Effect.UNKNOWN,
})

# -- builtins ---------------------------------------------------------------------------------

IO_BUILTINS = frozenset({"print", "open", "input", "exec", "eval", "breakpoint"})
# Builtins that make a Python number from a value: a host round trip, raising on a traced value.
CONVERTING_BUILTINS = frozenset({"float", "int", "bool", "complex"})
# Builtins that need concrete values: the conversions, and those that compare elements
# (`max(a, b)` asks `a > b` for a Python bool), which raises on traced values.
CONCRETE_BUILTINS = CONVERTING_BUILTINS | {"str", "min", "max", "sorted"}
# Builtins that compute on traced values as they are (shapes are static, so len() is too;
# `sum` and `round` call the array's own `__add__` / `__round__`).
TRACEABLE_BUILTINS = frozenset({
    "abs", "len", "range", "pow", "divmod", "tuple", "list", "dict", "zip", "enumerate", "isinstance",
    "slice", "reversed", "getattr", "hasattr", "sum", "round",
})  # not `map` / `filter`: what they run is the callable they are given

# -- NumPy ------------------------------------------------------------------------------------

NUMPY_IO = frozenset(
    f"numpy.{name}" for name in
    "save savez savez_compressed load savetxt loadtxt genfromtxt fromfile fromregex memmap".split()
)
NUMPY_GLOBAL_STATE = frozenset(
    f"numpy.{name}" for name in "seterr seterrcall set_printoptions errstate setbufsize".split()
)
# NumPy functions whose first argument is written in place (`np.add.at` & co. are caught by name).
NUMPY_WRITES_ARGUMENT = frozenset(
    f"numpy.{name}" for name in "copyto put place putmask fill_diagonal put_along_axis".split()
)
# NumPy functions jax.numpy has only as host-side I/O wrappers that cannot be traced: the
# NumPy-namespace codemod leaves them on NumPy.
HOST_ONLY = frozenset({"load", "save", "savez", "fromfile", "frombuffer", "fromstring", "fromiter",
                       "loadtxt", "savetxt", "genfromtxt", "savez_compressed"})
# The same functions without the module prefix, for the NumPy-namespace codemod's tables.
NUMPY_IN_PLACE_FUNCTIONS = frozenset(name.split(".", 1)[1] for name in NUMPY_WRITES_ARGUMENT)

# -- other modules ----------------------------------------------------------------------------

# Modules whose functions are pure computations on traced values.
TRACEABLE_MODULES = ("jax.numpy.", "jax.lax.", "jax.nn.", "jax.scipy.", "jax.tree_util.", "jax.tree.",
                     "functools.partial")
# math.* converts its arguments to Python floats (raising on a traced value) and raises on domain
# errors (math.log(0.0)), so it can neither trace nor run on both branches of a jnp.where.
CONCRETE_MODULES = ("math.",)
# JAX's function transformations: the callable they make is as pure as the function they take.
JAX_TRANSFORMS = frozenset({"jax.jit", "jax.grad", "jax.value_and_grad", "jax.vmap", "jax.pmap", "jax.jacfwd",
                            "jax.jacrev", "jax.hessian", "jax.checkpoint", "jax.remat", "functools.partial"})
HOST_CALLBACKS = ("jax.debug.", "jax.experimental.io_callback", "jax.pure_callback")
# Functions of `operator` that write their first argument (`operator.setitem(a, i, v)`, `iadd` on a list).
OPERATOR_WRITES = frozenset(
    f"operator.{name}" for name in
    "setitem delitem iadd isub imul itruediv ifloordiv imod ipow iand ior ixor ilshift irshift iconcat imatmul".split()
)
HOST_LIBRARIES = ("scipy.",)  # NumPy-based libraries: pure, but on the host

# -- methods ----------------------------------------------------------------------------------

# NumPy array methods that write the array itself (on a jax array `sort` returns a new array and
# leaves its receiver as it was, so a bare `x.sort()` would silently do nothing; the others raise).
ARRAY_IN_PLACE_METHODS = frozenset({"fill", "sort", "resize", "put", "itemset", "partition", "setfield",
                                    "setflags", "byteswap"})
# Methods that change their object: containers (`append`), files (`write`), NumPy arrays in place.
MUTATING_METHODS = frozenset(
    {"append", "extend", "insert", "pop", "remove", "clear", "update", "setdefault", "popitem",
     "discard", "add", "write", "writelines", "reverse"}
) | ARRAY_IN_PLACE_METHODS
IO_METHODS = frozenset({"tofile"})
# Array methods that make a Python value or bytes from an array: they need a concrete array.
CONCRETE_METHODS = frozenset({"item", "tolist", "tobytes", "__array__"})
# Methods of NumPy / JAX arrays (and of jax's `.at[...]` helper) that return new values.
AT_METHODS = frozenset({"set", "add", "subtract", "multiply", "mul", "divide", "power", "min", "max", "get", "apply"})
ARRAY_METHODS = AT_METHODS | frozenset(
    """sum mean prod std var reshape astype copy transpose ravel flatten squeeze dot clip cumsum cumprod
    argmax argmin all any conj conjugate swapaxes nonzero trace diagonal repeat take argsort searchsorted
    real imag view block_until_ready round max min ptp median amax amin count_nonzero nanmax nanmean nanmin
    nanstd nansum nanvar vdot""".split()
)



def _builtin_effects(name: str) -> frozenset[Effect]:
    if name in IO_BUILTINS:
        return frozenset({Effect.IO})
    if name in CONCRETE_BUILTINS:
        return frozenset({Effect.CONCRETE})
    if name in TRACEABLE_BUILTINS:
        return frozenset()
    return frozenset({Effect.UNKNOWN})


def _numpy_effects(qualified: str) -> frozenset[Effect]:
    found = {Effect.HOST_NUMPY}
    if qualified.startswith("numpy.random."):
        found.add(Effect.GLOBAL_RANDOM)
    if qualified in NUMPY_IO:
        found.add(Effect.IO)
    if qualified in NUMPY_GLOBAL_STATE:
        found.add(Effect.GLOBAL_STATE)
    if qualified in NUMPY_WRITES_ARGUMENT or qualified.endswith(".at"):
        found.add(Effect.WRITES_ARGUMENT)
    return frozenset(found)


def effects_of_name(qualified: str) -> frozenset[Effect]:
    """The effects of calling the function with this qualified name."""
    if qualified.startswith("builtins."):
        return _builtin_effects(qualified[len("builtins."):])
    if qualified.startswith("numpy."):
        return _numpy_effects(qualified)
    if qualified.startswith("random."):
        return frozenset({Effect.GLOBAL_RANDOM})
    if qualified.startswith(HOST_CALLBACKS):
        return frozenset({Effect.HOST_CALLBACK})
    if qualified in OPERATOR_WRITES:
        return frozenset({Effect.WRITES_ARGUMENT})
    if qualified.startswith(CONCRETE_MODULES):
        return frozenset({Effect.CONCRETE})
    if qualified.startswith(("jax.", "operator.", *TRACEABLE_MODULES)):
        return frozenset()  # jax.random.* takes an explicit key: pure
    if qualified.startswith(HOST_LIBRARIES):
        return frozenset({Effect.HOST_NUMPY})
    return frozenset({Effect.UNKNOWN})


def effects_of_method(method: str) -> frozenset[Effect]:
    """The effects of ``value.method(...)`` on a value that is not a module."""
    if method in MUTATING_METHODS:
        return frozenset({Effect.MUTATES_RECEIVER})
    if method in IO_METHODS:
        return frozenset({Effect.IO, Effect.CONCRETE})
    if method in CONCRETE_METHODS:
        return frozenset({Effect.CONCRETE})
    if method in ARRAY_METHODS:
        return frozenset()
    return frozenset({Effect.UNKNOWN})


def effects_of(
    call: cst.Call, resolve: Resolve, is_pure_function: Callable[[str], bool] = lambda name: False
) -> frozenset[Effect]:
    """What calling ``call`` does besides computing its result; empty for a traceable pure call.

    ``resolve`` gives the qualified name of an expression ("numpy.zeros" for ``np.zeros``, None for
    a local name); ``is_pure_function(name)`` answers for the module's own functions and the
    callables bound to names.
    """
    func = call.func
    qualified = resolve(func)
    if qualified is not None:
        return effects_of_name(qualified)
    if isinstance(func, cst.Name):
        return frozenset() if is_pure_function(func.value) else frozenset({Effect.UNKNOWN})
    if isinstance(func, cst.Attribute):
        if isinstance(func.value, cst.Subscript) and _is_at(func.value.value):
            return frozenset()  # x.at[i].set(v): a new array
        return effects_of_method(func.attr.value)
    if isinstance(func, cst.Call):  # jax.grad(f)(x), functools.partial(f, a)(x)
        return made_callable_effects(func, resolve, is_pure_function)
    return frozenset({Effect.UNKNOWN})


def made_callable_effects(
    maker: cst.Call, resolve: Resolve, is_pure_function: Callable[[str], bool]
) -> frozenset[Effect]:
    """Effects of calling what ``maker`` returns, when it is a JAX transform or ``functools.partial``
    of a function: those of the function (a transform of an unknown function is unknown)."""
    transform = resolve(maker.func)
    if transform not in JAX_TRANSFORMS or not maker.args:
        return frozenset({Effect.UNKNOWN})
    wrapped = maker.args[0].value
    if isinstance(wrapped, cst.Name) and resolve(wrapped) is None:
        return frozenset() if is_pure_function(wrapped.value) else frozenset({Effect.UNKNOWN})
    if isinstance(wrapped, cst.Lambda):
        return body_effects(wrapped.body, resolve, is_pure_function)
    name = resolve(wrapped)
    return effects_of_name(name) if name is not None else frozenset({Effect.UNKNOWN})


def _is_at(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Attribute) and expr.attr.value == "at"


def calls_in(node: cst.CSTNode) -> list[cst.Call]:
    """Every call inside ``node``, outermost first, lambdas and nested functions included: a
    callable defined there may be handed to something that runs it."""
    return [call for call in walk(node) if type(call) is cst.Call]


def body_effects(
    node: cst.CSTNode, resolve: Resolve, is_pure_function: Callable[[str], bool]
) -> frozenset[Effect]:
    """Every effect of running ``node`` (a function, a statement, an expression): its calls, and
    the writes a function's caller would see (a global or nonlocal, an item or attribute store,
    ``del``, ``yield``). Nested functions and lambdas count as if they ran: they may be handed to
    something that runs them."""
    found: set[Effect] = set()

    class Writes(cst.CSTVisitor):
        def visit_Global(self, _node) -> None:
            found.add(Effect.GLOBAL_STATE)

        visit_Nonlocal = visit_Global

        def visit_Del(self, _node) -> None:
            found.add(Effect.WRITES_ARGUMENT)

        visit_Yield = visit_Del

        def visit_AssignTarget(self, target: cst.AssignTarget) -> None:
            if not _plain_names(target.target):
                found.add(Effect.WRITES_ARGUMENT)

        def visit_AugAssign(self, assign: cst.AugAssign) -> None:
            if not isinstance(assign.target, cst.Name):
                found.add(Effect.WRITES_ARGUMENT)

    visit(None, node, Writes())
    for call in calls_in(node):
        found |= effects_of(call, resolve, is_pure_function)
    return frozenset(found)


def _plain_names(target: cst.BaseExpression) -> bool:
    if isinstance(target, cst.Name):
        return True
    if isinstance(target, (cst.Tuple, cst.List)):
        return all(_plain_names(element.value) for element in target.elements)
    if isinstance(target, cst.StarredElement):
        return _plain_names(target.value)
    return False


class ModuleEffects:
    """``is_pure(name)`` for the module's functions and the names bound to callables made from them.

    A function is pure when running it changes nothing its caller could see: no I/O, no global or
    random state, no writes to its arguments or to outer objects, and every function it calls is
    pure too. NumPy computation and conversions to Python values are pure (whether they can be
    traced is a separate question, answered by ``effects_of``). A name defined more than once is
    not known. Recursion: a function is assumed impure while its own body is being judged.
    """

    def __init__(self, module: cst.Module, resolve: Resolve):
        self.resolve = resolve
        self.definitions: dict[str, list[cst.CSTNode]] = {}
        for statement in module.body:
            self._collect(statement)
        self._purity: dict[str, bool] = {}

    def _collect(self, statement: cst.CSTNode) -> None:
        if isinstance(statement, cst.FunctionDef):
            self.definitions.setdefault(statement.name.value, []).append(statement)
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(
                    small.targets[0].target, cst.Name
                ) and isinstance(small.value, (cst.Call, cst.Lambda)):
                    self.definitions.setdefault(small.targets[0].target.value, []).append(small.value)

    def is_pure(self, name: str) -> bool:
        if name not in self._purity:
            self._purity[name] = False  # assumed impure while its own body is judged (recursion)
            definitions = self.definitions.get(name, [])
            self._purity[name] = len(definitions) == 1 and self._definition_is_pure(definitions[0])
        return self._purity[name]

    def _definition_is_pure(self, definition: cst.CSTNode) -> bool:
        if isinstance(definition, cst.FunctionDef):
            if not all(self._is_transform(d.decorator) for d in definition.decorators):
                return False  # a decorator may wrap the function in anything
            return not body_effects(definition.body, self.resolve, self.is_pure) & SIDE_EFFECTS
        if isinstance(definition, cst.Lambda):
            return not body_effects(definition.body, self.resolve, self.is_pure) & SIDE_EFFECTS
        # g = jax.grad(f), h = functools.partial(f, 2): as pure as what they wrap
        return not made_callable_effects(definition, self.resolve, self.is_pure) & SIDE_EFFECTS

    def _is_transform(self, decorator: cst.BaseExpression) -> bool:
        """``@jax.jit``, ``@partial(jax.jit, static_argnames=...)``, ``@jax.jit(...)``."""
        if isinstance(decorator, cst.Call):
            if self.resolve(decorator.func) == "functools.partial" and decorator.args:
                return self._is_transform(decorator.args[0].value)
            decorator = decorator.func
        return self.resolve(decorator) in JAX_TRANSFORMS

    def effects_of(self, call: cst.Call, resolve: Resolve | None = None) -> frozenset[Effect]:
        return effects_of(call, resolve or self.resolve, self.is_pure)
