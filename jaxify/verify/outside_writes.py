"""Writes that the code under verification makes outside its scratch folder (issue 18).

HOME, TMPDIR and the working directory of the verification process all point into a scratch
folder that is deleted afterwards, so ordinary writes leave no trace. Code that writes to an
absolute path (``np.save("/data/out.npy", x)``, ``os.remove(config_path)``) would still change
the user's files, and what it wrote is never compared between the original and the rewrite. An
audit hook (PEP 578, ``sys.addaudithook``) sees every file opened for writing and every rename,
removal, directory creation, link and permission change made by Python code in the process;
those outside the allowed folders are kept and reported, and the function that made them fails
verification. Writes made by native code that bypasses Python's file functions, and by child
processes, are not seen: the platform offers no portable way to watch them.
"""

from __future__ import annotations

import contextlib
import os
import sys

# Flags of os.open / io.open that make an open a write.
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
# Audit event -> positions of its arguments that name a path it changes.
CHANGING_EVENTS = {
    "os.rename": (0, 1), "os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.truncate": (0,),
    "os.symlink": (1,), "os.link": (1,), "os.chmod": (0,), "os.chown": (0,), "os.utime": (0,),
    "shutil.rmtree": (0,),
}
DEVICES_ALLOWED = ("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty")
SHOWN = 5  # paths named in a finding; the rest are counted


class OutsideWrites:
    """An audit hook that records, while ``watching()``, the paths changed outside ``allowed``."""

    def __init__(self, allowed: list[str]):
        self.allowed = tuple(os.path.realpath(folder) for folder in allowed if folder)
        self.paths: list[str] = []
        self._active = False

    @classmethod
    def install(cls, allowed: list[str]) -> OutsideWrites:
        watcher = cls(allowed)
        sys.addaudithook(watcher._hook)  # a hook cannot be removed; it does nothing unless watching
        return watcher

    @contextlib.contextmanager
    def watching(self):
        self._active = True
        try:
            yield self
        finally:
            self._active = False

    def take(self) -> list[str]:
        """The paths seen since the last call, in the order first seen."""
        paths, self.paths = self.paths, []
        return paths

    def _hook(self, event: str, args: tuple) -> None:
        if not self._active:
            return
        if event == "open":
            path, flags = args[0], args[2]
            if isinstance(flags, int) and flags & WRITE_FLAGS:
                self._active = False  # the checks below must not watch themselves
                try:
                    self._record(path)
                finally:
                    self._active = True
        elif event in CHANGING_EVENTS:
            self._active = False
            try:
                for position in CHANGING_EVENTS[event]:
                    if position < len(args):
                        self._record(args[position])
            finally:
                self._active = True

    def _record(self, path) -> None:
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not isinstance(path, (str, os.PathLike)):
            return  # a file descriptor: its path was checked when it was opened
        real = os.path.realpath(os.path.abspath(path))
        if real in DEVICES_ALLOWED or real.startswith("/proc/self/fd/"):
            return
        if any(real == folder or real.startswith(folder + os.sep) for folder in self.allowed):
            return
        if real not in self.paths:
            self.paths.append(real)


def describe(paths: list[str]) -> str:
    """``/a, /b and 3 more``."""
    shown = ", ".join(paths[:SHOWN])
    return shown + (f" and {len(paths) - SHOWN} more" if len(paths) > SHOWN else "")
