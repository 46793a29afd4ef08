"""Map a line of an intermediate text (after earlier codemods) back to the line of the original file.

``difflib.SequenceMatcher`` alone is quadratic in the number of lines (a 5 MB file would take
hours), so the two texts are first aligned on anchors, as patience diff does: lines that occur
exactly once in both, kept in the longest run that is in the same order in both. Only the small
gaps between anchors go to difflib, which gives the same answers as before on small edits.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter

# A gap without anchors this large (lines x lines) is mapped by position instead of by difflib.
DIFFLIB_BUDGET = 1_000_000


class LineMap:
    def __init__(self, original: str, current: str):
        self._identity = original == current
        if not self._identity:
            original_lines = original.splitlines()
            self._original_count = len(original_lines)
            self._blocks = matching_blocks(current.splitlines(), original_lines)
            self._starts = [start for start, _, _ in self._blocks]

    def __call__(self, line: int) -> int:
        if self._identity:
            return line
        index = line - 1
        position = bisect.bisect_right(self._starts, index) - 1
        gap_current = gap_original = 0
        if position >= 0:
            start, original_start, size = self._blocks[position]
            if index < start + size:
                return original_start + index - start + 1
            gap_current, gap_original = start + size, original_start + size
        following = self._blocks[position + 1][1] if position + 1 < len(self._blocks) else self._original_count
        return gap_original + min(index - gap_current, max(following - gap_original - 1, 0)) + 1


def matching_blocks(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """``(i, j, n)`` with ``a[i:i+n] == b[j:j+n]``, increasing in both ``i`` and ``j``, sorted by ``i``."""
    blocks = []
    regions = [(0, len(a), 0, len(b))]
    while regions:
        a_low, a_high, b_low, b_high = regions.pop()
        while a_low < a_high and b_low < b_high and a[a_low] == b[b_low]:  # common start
            blocks.append((a_low, b_low, 1))
            a_low, b_low = a_low + 1, b_low + 1
        while a_low < a_high and b_low < b_high and a[a_high - 1] == b[b_high - 1]:  # common end
            a_high, b_high = a_high - 1, b_high - 1
            blocks.append((a_high, b_high, 1))
        if a_low == a_high or b_low == b_high:
            continue
        anchors = _unique_anchors(a, b, a_low, a_high, b_low, b_high)
        if not anchors:
            if (a_high - a_low) * (b_high - b_low) <= DIFFLIB_BUDGET:
                matcher = difflib.SequenceMatcher(None, a[a_low:a_high], b[b_low:b_high], autojunk=False)
                blocks += [(a_low + i, b_low + j, n) for i, j, n in matcher.get_matching_blocks() if n]
            continue
        previous_a, previous_b = a_low, b_low
        for i, j in anchors:
            blocks.append((i, j, 1))
            regions.append((previous_a, i, previous_b, j))
            previous_a, previous_b = i + 1, j + 1
        regions.append((previous_a, a_high, previous_b, b_high))
    return sorted(blocks)


def _unique_anchors(a, b, a_low, a_high, b_low, b_high) -> list[tuple[int, int]]:
    """Lines occurring once in each region, as ``(i, j)`` pairs, longest run in the same order."""
    a_counts, b_counts = Counter(a[a_low:a_high]), Counter(b[b_low:b_high])
    b_index = {b[j]: j for j in range(b_low, b_high) if b_counts[b[j]] == 1}
    pairs = [(i, b_index[a[i]]) for i in range(a_low, a_high) if a_counts[a[i]] == 1 and a[i] in b_index]
    return _longest_increasing(pairs)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of ``pairs`` (sorted by i) whose j also increases; O(n log n)."""
    tails: list[int] = []  # tails[k]: the smallest j ending an increasing run of length k + 1
    tail_index: list[int] = []
    previous = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        length = bisect.bisect_left(tails, j)
        if length == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[length] = j
            tail_index[length] = index
        previous[index] = tail_index[length - 1] if length else -1
    run, index = [], tail_index[-1] if tail_index else -1
    while index >= 0:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]
