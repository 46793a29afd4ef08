"""The verification of one module, run in its own subprocess (see isolation.py).

    python -m jaxify.verify.worker JOB.json

reads the job written by the parent, imports the original and the rewritten module side by side,
checks each changed function, and appends one JSON line per event to the job's result file:
``{"event": "start", "function": ...}`` before a function runs (so a hang or a crash can be pinned
on it) and ``{"event": "result", ...}`` after.
"""

from __future__ import annotations

import copy
import inspect
import json
import os
import sys
import traceback

import numpy as np

from jaxify.verify.compare import compare
from jaxify.verify.contract import call_original, match
from jaxify.verify.distribution import same_distribution
from jaxify.verify.gradient import gradient_findings
from jaxify.verify.jit_errors import explain_jit_failure
from jaxify.verify.outside_writes import OutsideWrites, describe
from jaxify.verify.samples import captured_calls, declared_examples, example_snippet, import_file
from jaxify.verify.timing import compile_ms, copier, time_calls

RANDOM_RUNS = 200
REMOVED_API_ERRORS = {"AttributeError", "ImportError", "ModuleNotFoundError"}


class Emitter:
    def __init__(self, path: str):
        self._handle = open(path, "a", encoding="utf-8")

    def __call__(self, **event) -> None:
        self._handle.write(json.dumps(event, default=_jsonable) + "\n")
        self._handle.flush()


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def main(job_path: str) -> None:
    with open(job_path, encoding="utf-8") as handle:
        job = json.load(handle)
    emit = Emitter(job["results"])
    limit_memory(job.get("memory_bytes"))
    sys.dont_write_bytecode = True  # importing the user's module must not write into their tree
    sys.path.insert(0, job.get("user_dir") or os.path.dirname(os.path.abspath(job["original"])))
    sys.path[1:1] = job.get("import_roots", [])  # where the project's own packages are imported from
    import jax

    jax.config.update("jax_enable_x64", True)  # legacy NumPy computes in float64
    emit(event="device", device=describe_device(jax))
    # The scratch folder holds both module copies, the working directory, HOME and TMPDIR.
    writes = OutsideWrites.install([os.path.dirname(os.path.dirname(job["original"])), os.getcwd(),
                                    os.environ.get("HOME", ""), os.environ.get("TMPDIR", "")])
    original_error = None
    with writes.watching():
        try:
            original = import_file(job["original"], "jaxify_verify_original", job.get("package"))
        except (ImportError, AttributeError) as error:  # an API the installed JAX/NumPy no longer has
            original, original_error = None, f"{type(error).__name__}: {error}"
        try:
            rewritten = import_file(job["rewritten"], "jaxify_verify_rewritten", job.get("package"))
            sidecar = import_file(job["examples"], "jaxify_verify_examples") if job.get("examples") else None
            reference = import_file(job["reference"], "jaxify_verify_reference") if job.get("reference") else None
        except BaseException as error:  # user code failing at import: a finding, not a crash of jaxify
            emit(event="module_error", message=f"cannot import the module: {type(error).__name__}: {error}",
                 trace=traceback.format_exc(limit=-3))
            return
    if outside := writes.take():
        emit(event="module_error", message=f"importing the module writes outside the verification's scratch "
                                           f"folder: {describe(outside)}")
    examples, declared_static = declared_examples(sidecar, original)
    calls = {**captured_calls(job.get("captured")), **examples}  # declared examples are trusted most
    source = {name: ("examples" if name in examples else "captured") for name in calls}
    for function in job["functions"]:
        emit(event="start", function=function["name"])
        with writes.watching():
            result = check_function(job, function, original, rewritten, calls.get(function["name"]),
                                    source.get(function["name"]), declared_static, reference)
        if outside := writes.take():
            fail_for_outside_writes(result, outside)
        if original_error:
            result["notes"].append(f"the original cannot run on the installed libraries ({original_error}); "
                                   f"only checked that the rewrite runs {how_called(function)}")
        emit(event="result", **result)


def check_function(job: dict, function: dict, original, candidate, calls, source, declared_static,
                   reference=None) -> dict:
    """Check ``candidate``'s function against ``original``'s (in this process); the result as a dict."""
    checker = FunctionCheck(job, function, original, candidate, declared_static.get(function["name"], ()),
                            reference)
    try:
        return checker.run(calls, source)
    except SystemExit as error:  # os._exit cannot be caught: the parent reports that one
        return checker.failed(f"the code calls sys.exit({error.code!r}), which would end the caller's program; "
                              f"it cannot be verified")
    except Exception as error:  # a bug in a check must not lose the rest of the module
        return checker.failed(f"verification crashed: {type(error).__name__}: {error}")


def how_called(function: dict) -> str:
    """How the rewrite of ``function`` is run: as callers call it when the gate kept it on NumPy."""
    return "as called before (it keeps NumPy, JX807)" if function.get("keeps_numpy") else "under jax.jit"


def fail_for_outside_writes(result: dict, paths: list[str]) -> None:
    """Files outside the scratch folder are the user's, and their contents are never compared."""
    result["equivalent"] = False
    result["evidence"] = "failed"
    result["findings"].append({
        "kind": "isolation", "line": result["line"],
        "message": f"wrote outside the verification's scratch folder ({describe(paths)}): those files are real "
                   f"and what the original and the rewrite wrote there is not compared, so it cannot be verified; "
                   f"write to a path the caller passes (a temporary folder under verification) instead"})


def limit_memory(limit: int | None) -> None:
    """Cap the address space, so that runaway user code fails with MemoryError instead of swapping."""
    if not limit:
        return
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform: the timeout still bounds the run


def describe_device(jax) -> str:
    device = jax.devices()[0]
    kind = getattr(device, "device_kind", "") or device.platform
    return f"{device.platform}: {kind}"


class FunctionCheck:
    """All checks of one function: equivalence, jit, mutation contract, randomness, gradient, timing."""

    def __init__(self, job, function, original_module, rewritten_module, declared_static, reference_module=None):
        import jax

        self.jax = jax
        self.job, self.info, self.name = job, function, function["name"]
        self.original = getattr(original_module, self.name) if original_module is not None else None
        self.rewritten = getattr(rewritten_module, self.name)
        self.reference = getattr(reference_module, self.name, None)
        self.rewritten_file = job.get("rewritten", "")
        self.precision = job.get("precision", "keep")
        key_name = job.get("key_name", "key")
        self.key_name = key_name if (key_name in inspect.signature(self.rewritten).parameters and (
            self.original is None or key_name not in inspect.signature(self.original).parameters)) else None
        self.hypothesis_input = (None, None)  # a passing generated input, for timing
        self.gradient_checked = False
        self.original_errors: set[str] = set()  # exceptions the original raised on skipped inputs
        self.base_static = tuple(dict.fromkeys([*function.get("static_argnames", ()), *declared_static]))
        # A function the gate kept on NumPy is not meant to run under jit: it is run as callers call it.
        self.as_called = bool(function.get("keeps_numpy"))
        self.result = {
            "function": self.name, "line": function["line"], "evidence": "unverified", "equivalent": None,
            "inputs": 0, "input_source": None, "max_abs_err": 0.0, "max_rel_err": 0.0,
            "compile_ms": None, "original_ms": None, "original_spread_ms": None, "jitted_ms": None,
            "jitted_spread_ms": None, "speedup": None, "random": self.key_name is not None,
            "static_argnames": list(self.base_static), "findings": [], "notes": [], "counterexample": None,
        }

    # -- the run ---------------------------------------------------------------------------------
    def run(self, calls, source) -> dict:
        if self.as_called:
            self.result["notes"].append("the rewrite keeps this function's NumPy computation (JX807): it is "
                                        "checked as callers call it, not under jax.jit")
        if self.original is None:
            self._run_rewrite_only(calls or [], source)
            self._decide_evidence()
            return self.result
        if calls is None and self.job.get("hypothesis", 0) > 0:
            if self.key_name is None:
                self._run_hypothesis()
            else:  # a random function: one generated input, then the comparison by distribution
                calls, source = self._generated_calls(1), "hypothesis"
        if calls:
            self.result["input_source"] = source
            if self.key_name is not None or self.info.get("seed_param") or self._draws_from_global_state(*calls[0]):
                self._run_random(calls)
            else:
                for args, kwargs in calls:
                    if not self._check_call(args, kwargs, source):
                        break
            if not self.result["inputs"] and self.original_errors <= REMOVED_API_ERRORS and self.original_errors:
                self.result["notes"].append("the original cannot run on the installed libraries; only checked "
                                            f"that the rewrite runs {how_called(self.info)}")
                self._run_rewrite_only(calls, source)
        if self.result["equivalent"] is not False and self.result["inputs"] and self.job.get("timing", True):
            self._time(*self._timing_input(calls))
        self._decide_evidence()
        return self.result

    def _draws_from_global_state(self, args, kwargs) -> bool:
        """Whether the original's result depends on NumPy's global seed (a random function kept keyless)."""
        outputs = []
        for seed in (0, 1):
            np.random.seed(seed)
            try:
                outputs.append(call_original(self.original, args, kwargs, self._param_names(args, kwargs)).expected())
            except Exception:
                return False
        return not compare(outputs[0], outputs[1]).equal

    def _run_rewrite_only(self, calls, source) -> None:
        """Without an original to compare with, at least run the rewrite (under jit unless it keeps
        NumPy) on the inputs."""
        self.result["input_source"] = source
        for args, kwargs in calls:
            static = self._static_for(args, kwargs)
            extra = {self.key_name: self.jax.random.key(0)} if self.key_name else {}
            try:
                self.jax.block_until_ready(self._jitted(static)(*copy.deepcopy(args), **copy.deepcopy(kwargs), **extra))
            except Exception as error:
                self._add_jit_finding(explain_jit_failure(error, self.rewritten_file, static))
                self.result["equivalent"] = False
                return

    def failed(self, message: str) -> dict:
        self.result["equivalent"] = False
        self.result["evidence"] = "failed"
        self.result["findings"].append({"kind": "error", "message": message, "line": self.info["line"]})
        return self.result

    # -- one deterministic call -----------------------------------------------------------------------
    def _static_for(self, args, kwargs) -> tuple[str, ...]:
        """Declared and inferred static argnames, plus arguments that are plain hashable Python values."""
        bound = inspect.signature(self.rewritten).bind_partial(*args, **kwargs).arguments
        plain = [name for name, value in bound.items() if _is_plain_static(value)]
        return tuple(dict.fromkeys([*self.base_static, *plain]))

    def _jitted(self, static):
        if self.as_called:
            return self.rewritten
        return self.jax.jit(self.rewritten, static_argnames=static)

    def _param_names(self, args, kwargs) -> list[str]:
        names = list(inspect.signature(self.original).parameters)
        return names[: len(args)] + list(kwargs)

    def _outcome(self, args, kwargs):
        """``(comparison, error finding)`` for one call; None when the original itself raises."""
        np.random.seed(0)  # both sides start from the same global random state (if either draws from it)
        try:
            expected = call_original(self.original, args, kwargs, self._param_names(args, kwargs))
        except Exception as error:
            self.original_errors.add(type(error).__name__)
            return None
        static = self._static_for(args, kwargs)
        np.random.seed(0)
        try:
            actual = self._jitted(static)(*copy.deepcopy(args), **copy.deepcopy(kwargs))
            actual = self.jax.device_get(actual)
        except Exception as error:
            return None, explain_jit_failure(error, self.rewritten_file, static)
        comparison = match(expected, actual, self.precision)
        return comparison, None

    def _check_call(self, args, kwargs, source: str) -> bool:
        """Check one call; False once the function has failed (no point in more inputs)."""
        outcome = self._outcome(args, kwargs)
        if outcome is None:
            self.result["skipped_inputs"] = self.result.get("skipped_inputs", 0) + 1
            return True
        comparison, jit_error = outcome
        if jit_error is not None:
            self._add_jit_finding(jit_error)
            self.result["equivalent"] = False
            return False
        self.result["inputs"] += 1
        self.result["max_abs_err"] = max(self.result["max_abs_err"], comparison.max_abs_err)
        self.result["max_rel_err"] = max(self.result["max_rel_err"], comparison.max_rel_err)
        if not comparison.equal:
            self.result["equivalent"] = False
            self.result["counterexample"] = example_snippet(self.name, args, kwargs)
            self.result["findings"].append({"kind": "mismatch", "line": self.info["line"],
                                            "message": f"not equivalent on {source} input: {comparison.message}"})
            return False
        self.result["equivalent"] = True
        self._check_gradient(args, kwargs)
        return True

    def _add_jit_finding(self, finding: dict) -> None:
        finding = dict(finding)
        finding["line"] = self.info["line"]
        self.result["findings"].append(finding)

    # -- Hypothesis ---------------------------------------------------------------------------------
    def _run_hypothesis(self) -> None:
        from hypothesis import HealthCheck, given, settings
        from hypothesis.errors import Unsatisfiable

        from jaxify.verify.strategies import call_strategy

        strategy = call_strategy(self.original, inspect.getsource(self.original), self.base_static)
        if strategy is None:
            self.result["notes"].append("no inputs could be generated for this signature")
            return
        self.result["input_source"] = "hypothesis"
        state = {"failure": None, "ran": 0, "last_ok": None}

        @settings(max_examples=self.job["hypothesis"], derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck), print_blob=False, report_multiple_bugs=False)
        @given(strategy)
        def property_holds(call):
            args, kwargs = call
            outcome = self._outcome(args, kwargs)
            if outcome is None:
                return
            comparison, jit_error = outcome
            state["ran"] += 1
            if jit_error is not None or not comparison.equal:
                state["failure"] = (args, kwargs, comparison, jit_error)
                raise AssertionError("mismatch")
            self.result["max_abs_err"] = max(self.result["max_abs_err"], comparison.max_abs_err)
            self.result["max_rel_err"] = max(self.result["max_rel_err"], comparison.max_rel_err)
            state["last_ok"] = (args, kwargs)

        try:
            property_holds()
        except (AssertionError, Unsatisfiable):
            pass  # the failure, if any, is in state
        self.result["inputs"] = state["ran"]
        last_ok = state["last_ok"]
        if state["failure"] is not None:  # the last failure Hypothesis saw is the shrunk one
            args, kwargs, comparison, jit_error = state["failure"]
            self.result["equivalent"] = False
            self.result["counterexample"] = example_snippet(self.name, args, kwargs)
            if jit_error is not None:
                self._add_jit_finding(jit_error)
            else:
                self.result["findings"].append({
                    "kind": "mismatch", "line": self.info["line"],
                    "message": f"not equivalent on a generated input (shrunk): {comparison.message}"})
        elif state["ran"]:
            self.result["equivalent"] = True
            if last_ok is not None:
                self._check_gradient(*last_ok)
                self.hypothesis_input = last_ok

    def _generated_calls(self, count: int) -> list:
        """``count`` inputs drawn (deterministically) from the generated strategy, without any checking."""
        from hypothesis import HealthCheck, given, settings

        from jaxify.verify.strategies import call_strategy

        strategy = call_strategy(self.original, inspect.getsource(self.original), self.base_static)
        drawn = []
        if strategy is None:
            return drawn

        @settings(max_examples=count, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def draw(call):
            if len(drawn) < count:
                drawn.append(call)

        draw()
        return drawn

    # -- randomness ----------------------------------------------------------------------------------
    def _run_random(self, calls) -> None:
        """Compare by distribution over seeds/keys, with JAX's key-reuse checking switched on."""
        runs = self.job.get("random_runs", RANDOM_RUNS)
        args, kwargs = calls[0]
        seed_param = self.info.get("seed_param")
        static = tuple(name for name in self._static_for(args, kwargs) if name != seed_param)
        jitted = self._jitted(static)
        original_runs, rewritten_runs = [], []
        try:
            for seed in range(runs):
                np.random.seed(seed)
                args, kwargs = _with_argument(self.original, args, kwargs, seed_param, seed)
                expected = call_original(self.original, args, kwargs, self._param_names(args, kwargs)).expected()
                original_runs.append(expected)
        except Exception as error:
            self.result["notes"].append(f"the original raises on the example: {type(error).__name__}")
            return
        try:
            with self.jax.debug_key_reuse(True):
                for seed in range(runs):
                    extra = {self.key_name: self.jax.random.key(seed)} if self.key_name else {}
                    np.random.seed(seed)  # a rewrite that kept np.random draws from the same seeds
                    args, kwargs = _with_argument(self.original, args, kwargs, seed_param, seed)
                    out = jitted(*copy.deepcopy(args), **{**copy.deepcopy(kwargs), **extra})
                    rewritten_runs.append(self.jax.device_get(out))
        except Exception as error:
            self._add_jit_finding(explain_jit_failure(error, self.rewritten_file, static))
            self.result["equivalent"] = False
            return
        structure = compare(_shape_only(original_runs[0]), _shape_only(rewritten_runs[0]))
        if not structure.equal:
            self.result["equivalent"] = False
            self.result["findings"].append({"kind": "mismatch", "line": self.info["line"],
                                            "message": f"random outputs differ in structure: {structure.message}"})
            return
        same, p_value, message = same_distribution([_leaves(o) for o in original_runs],
                                                   [_leaves(r) for r in rewritten_runs])
        self.result["inputs"] = 1
        self.result["random"] = True
        over = f"`{seed_param}` = 0..{runs - 1}, the seed it passes to NumPy" if seed_param else f"{runs} seeds/keys"
        self.result["notes"].append(f"random: compared by distribution over {over} "
                                    f"(smallest KS p = {p_value:.2g}); values are not expected to match")
        self.result["equivalent"] = same
        if not same and all(compare(rewritten_runs[0], run).equal for run in rewritten_runs[1:]):
            message = ("the rewrite returns the same numbers for every seed: its random draws were frozen into "
                       "constants when jax.jit traced it (NumPy's global random state inside jit)")
        if not same:
            self.result["counterexample"] = example_snippet(self.name, args, kwargs)
            self.result["findings"].append({"kind": "mismatch", "line": self.info["line"], "message": message})

    # -- gradient ------------------------------------------------------------------------------------
    def _check_gradient(self, args, kwargs) -> None:
        """Gradient findings (see gradient.py), once per function, on its first passing input."""
        if self.gradient_checked or not self.job.get("gradient", True):
            return
        self.gradient_checked = True
        names = self._param_names(args, kwargs)
        static = self._static_for(args, kwargs)
        dynamic = [i for i, a in enumerate(args)
                   if isinstance(a, np.ndarray) and a.dtype.kind == "f" and names[i] not in static]
        if dynamic:
            for finding in gradient_findings(self.rewritten, self.original, args, kwargs, dynamic, names):
                self.result["findings"].append({**finding, "line": self.info["line"]})

    # -- timing ---------------------------------------------------------------------------------------
    def _timing_input(self, calls):
        if calls:
            sizes = [sum(np.size(a) for a in args) for args, _ in calls]
            return calls[int(np.argmax(sizes))]
        return self.hypothesis_input

    def _time(self, args, kwargs) -> None:
        if args is None:
            return
        static = self._static_for(args, kwargs)
        jitted = self._jitted(static)
        extra = {self.key_name: self.jax.random.key(0)} if self.key_name else {}
        try:
            if not self.as_called:
                self.result["compile_ms"] = compile_ms(jitted, args, {**kwargs, **extra})
            self.result["original_ms"], self.result["original_spread_ms"] = time_calls(
                lambda a, k: self.original(*a, **k), copier(args, kwargs))
            device_args = self.jax.tree_util.tree_map(  # arrays on the device; static values stay Python
                lambda v: self.jax.device_put(v) if isinstance(v, np.ndarray) else v, (args, {**kwargs, **extra}))
            self.result["jitted_ms"], self.result["jitted_spread_ms"] = time_calls(
                lambda a, k: jitted(*a, **k), lambda: device_args)
            if self.reference is not None:  # the benchmark's hand-written JAX, timed in the same process
                reference = self.jax.jit(self.reference, static_argnames=static)
                self.result["reference_ms"], _ = time_calls(lambda a, k: reference(*a, **k), lambda: device_args)
        except Exception as error:
            self.result["notes"].append(f"timing failed: {type(error).__name__}: {error}")
            return
        self.result["speedup"] = self.result["original_ms"] / max(self.result["jitted_ms"], 1e-9)
        if self.job.get("sizes"):  # verify --sizes: the same input grown, timed only
            from jaxify.verify.sizes import time_at_sizes

            self.result["sizes"] = time_at_sizes(self.original, jitted, args, kwargs, extra, self.job["sizes"])
        if self.result["speedup"] < 1 and not self.as_called:
            self.result["notes"].append("JAX is slower than NumPy on these inputs (small arrays: dispatch "
                                        "overhead dominates); try larger inputs")

    # -- evidence ---------------------------------------------------------------------------------------
    def _decide_evidence(self) -> None:
        if self.result.get("skipped_inputs"):
            self.result["notes"].append(f"{self.result['skipped_inputs']} input(s) skipped: the original raises on "
                                        f"them ({', '.join(sorted(self.original_errors))})")
        if self.result["equivalent"] is False:
            self.result["evidence"] = "failed"
        elif self._renames_are_identities():
            self.result["evidence"] = "proven"
            self.result["notes"].append("proven: the rewrite only renames names that are the same objects")
        elif self.result["equivalent"]:
            self.result["evidence"] = "verified"

    def _renames_are_identities(self) -> bool:
        pairs = self.info.get("renames")
        if not pairs:
            return False
        for old, new in pairs:
            try:
                old_value = eval(old, self.original.__globals__)  # dotted module names only (see functions.py)
                new_value = eval(new, self.rewritten.__globals__)
            except Exception:
                return False
            if old_value is not new_value:
                return False
        return True


def _is_plain_static(value) -> bool:
    if isinstance(value, (bool, int, str)) or value is None:
        return True
    return isinstance(value, tuple) and all(_is_plain_static(item) for item in value)


def _leaves(tree) -> list[np.ndarray]:
    import jax

    return [np.asarray(leaf) for leaf in jax.tree_util.tree_leaves(tree)]


def _shape_only(tree):
    """Zeros of each leaf's shape and dtype: compares structure, shape and dtype kind, not values."""
    import jax

    return jax.tree_util.tree_map(lambda leaf: np.zeros_like(np.asarray(leaf)), tree)


def _with_argument(function, args, kwargs, name: str | None, value):
    """The call ``(args, kwargs)`` with parameter ``name`` set to ``value`` (unchanged when None)."""
    if name is None:
        return args, kwargs
    bound = inspect.signature(function).bind(*args, **kwargs)
    bound.arguments[name] = value
    return bound.args, bound.kwargs


if __name__ == "__main__":
    main(sys.argv[1])
