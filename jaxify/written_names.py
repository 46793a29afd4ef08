"""Which names in a pass's output the codemods wrote, as opposed to names the input already had.

The codemods write ``jnp.`` / ``lax.`` / ``jax.`` into the tree, and the engine parses their output
again, so node identities do not survive from codemod to codemod. What does survive is the text:
a token of the output that a diff against the input matches to an input token was there before;
every other token was written by a codemod. The diff runs on lines first (most of a module is
untouched), then on the tokens of each changed block only, so its cost follows the size of the
change rather than of the module.
"""

from __future__ import annotations

import difflib
import io
import tokenize

Position = tuple[int, int]  # (line 1-based, column 0-based): tokenize's and LibCST's convention


def _name_tokens_by_line(text: str) -> dict[int, list[tuple[str, Position]]]:
    """Every significant token's text and start, grouped by its start line."""
    lines: dict[int, list[tuple[str, Position]]] = {}
    skipped = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT,
               tokenize.ENDMARKER, tokenize.ENCODING}
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type not in skipped:
            lines.setdefault(token.start[0], []).append((token.string, token.start))
    return lines


def written_name_positions(before: str, after: str, names: frozenset[str]) -> set[Position]:
    """Start positions in ``after`` of the tokens spelled as one of ``names`` that ``before`` lacks."""
    before_lines, after_lines = before.splitlines(), after.splitlines()
    before_tokens, after_tokens = _name_tokens_by_line(before), _name_tokens_by_line(after)
    written: set[Position] = set()
    blocks = difflib.SequenceMatcher(None, before_lines, after_lines, autojunk=False).get_opcodes()
    for operation, i1, i2, j1, j2 in blocks:
        if operation in ("equal", "delete"):
            continue
        old = [token for line in range(i1 + 1, i2 + 1) for token in before_tokens.get(line, ())]
        new = [token for line in range(j1 + 1, j2 + 1) for token in after_tokens.get(line, ())]
        if not any(text in names for text, _ in new):
            continue
        matcher = difflib.SequenceMatcher(None, [t for t, _ in old], [t for t, _ in new], autojunk=False)
        for token_operation, _, _, k1, k2 in matcher.get_opcodes():
            if token_operation in ("insert", "replace"):
                written.update(start for text, start in new[k1:k2] if text in names)
    return written
