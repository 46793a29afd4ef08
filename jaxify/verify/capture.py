"""``--capture CMD``: record the arguments of the functions under verification while CMD runs.

CMD (the user's test suite, a script) runs in a subprocess whose interpreter loads a small
``sitecustomize`` from a scratch folder put first on PYTHONPATH. It installs a profile hook that,
on each call of a module-level function defined in one of the files being verified, keeps a deep
copy of the arguments of its first ``JAXIFY_CAPTURE_LIMIT`` calls, and pickles them at exit.
Arguments that cannot be copied or pickled are skipped. (A sitecustomize of the user's own is
shadowed for that run.)
"""

from __future__ import annotations

import json
import os
import pickle
import shlex
import subprocess
import sys
from pathlib import Path

CALLS_PER_FUNCTION = 5

_HOOK = r'''
import atexit, copy, json, os, pickle, sys, threading

_files = set(json.loads(os.environ["JAXIFY_CAPTURE_FILES"]))
_limit = int(os.environ["JAXIFY_CAPTURE_LIMIT"])
_records = {}
_resolved = {}  # co_filename -> the verified file it is (a relative or linked path), or None

def _hook(frame, event, arg):
    if event != "call":
        return
    code = frame.f_code
    if code.co_qualname != code.co_name:
        return
    filename = _resolved.get(code.co_filename, "")
    if filename == "":
        filename = os.path.realpath(code.co_filename)
        filename = _resolved[code.co_filename] = filename if filename in _files else None
    if filename is None:
        return
    calls = _records.setdefault(filename, {}).setdefault(code.co_name, [])
    if len(calls) >= _limit:
        return
    names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    try:
        kwargs = copy.deepcopy({name: frame.f_locals[name] for name in names})
        pickle.dumps(kwargs)
    except Exception:
        return
    calls.append(((), kwargs))

def _save():
    sys.setprofile(None)
    with open(os.environ["JAXIFY_CAPTURE_OUT"], "wb") as handle:
        pickle.dump(_records, handle)

atexit.register(_save)
sys.setprofile(_hook)
threading.setprofile(_hook)
'''


def capture_calls(command: str, files: list[Path], scratch: Path, timeout: float) -> dict[str, Path]:
    """Run ``command``; return, per verified file (resolved path), a pickle of its captured calls."""
    hook_dir = scratch / "capture-hook"
    hook_dir.mkdir(parents=True, exist_ok=True)
    (hook_dir / "sitecustomize.py").write_text(_HOOK, encoding="utf-8")
    out = scratch / "captured.pickle"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(hook_dir), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "JAXIFY_CAPTURE_FILES": json.dumps([str(path.resolve()) for path in files]),
        "JAXIFY_CAPTURE_LIMIT": str(CALLS_PER_FUNCTION),
        "JAXIFY_CAPTURE_OUT": str(out),
    }
    try:
        subprocess.run(shlex.split(command), env=env, timeout=timeout, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        print(f"jaxify verify: --capture command failed: {error}", file=sys.stderr)
    if not out.exists():
        return {}
    with open(out, "rb") as handle:
        records = pickle.load(handle)
    per_file = {}
    for index, (filename, calls) in enumerate(records.items()):
        target = scratch / f"captured-{index}.pickle"
        with open(target, "wb") as handle:
            pickle.dump(calls, handle)
        per_file[filename] = target
    return per_file
