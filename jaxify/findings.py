"""What a codemod reports: one finding per place it fixed, could fix unsafely, or refused."""

from __future__ import annotations

import dataclasses
import enum


class Status(str, enum.Enum):
    FIXED = "fixed"
    UNSAFE = "unsafe"  # fixable with --unsafe; not applied
    NOT_FIXED = "not fixed"


@dataclasses.dataclass(frozen=True)
class Finding:
    path: str
    line: int
    col: int
    code: str
    message: str
    status: Status
    reason: str = ""  # why it was not fixed, or the assumption an unsafe fix rests on
    hint: str = ""  # what the user can do
    unsafe_applied: bool = False  # an unsafe fix applied because --unsafe was given
    end_line: int = 0  # where the reported code ends (column exclusive); 0 when not known
    end_col: int = 0

    def __post_init__(self):
        # Reports print these and sliced files deduplicate findings by them: text, never `[]`.
        if not all(isinstance(text, str) for text in (self.message, self.reason, self.hint)):
            raise TypeError(f"a finding's message, reason and hint are text: {self!r}")

    def status_text(self) -> str:
        if self.status is Status.FIXED:
            return "fixed (unsafe)" if self.unsafe_applied else "fixed"
        # A message that already gives the reason does not repeat it.
        reason = self.reason if self.reason and self.reason not in self.message else ""
        if self.status is Status.UNSAFE:
            return f"unsafe: {reason}" if reason else "unsafe"
        return f"not fixed: {reason}" if reason else "not fixed"

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col} {self.code} {self.message} [{self.status_text()}]"
        if self.hint:
            text += f"\n    help: {self.hint}"
        return text

    def to_json(self) -> dict:
        data = dataclasses.asdict(self)
        data["status"] = self.status.value
        return data
