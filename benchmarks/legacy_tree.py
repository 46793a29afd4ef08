"""A deterministic tree of legacy-style NumPy modules, for measuring the tool's own speed.

    generate_tree(root, total_lines=30_000, seed=0)

The modules look like the legacy code jaxify is run on: loops that fill arrays element by
element, in-place writes, ``np.random`` draws, plain Python helpers, and files that import NumPy
only for ``np.ndarray`` annotations. Each module is built from the function templates below with
names and constants drawn from a seeded generator, so the same arguments always give the same
tree, byte for byte.
"""

from __future__ import annotations

import random
from pathlib import Path

LOOP_FUNCTIONS = (
    '''def {name}(x, n):
    """Fill an output array element by element."""
    out = np.zeros(n)
    for i in range(n):
        out[i] = x[i] * {a} + {b}
    return out
''',
    '''def {name}(values):
    """A running total, one element at a time."""
    total = 0.0
    for i in range(values.shape[0]):
        total = total + values[i] * {a}
    return total
''',
    '''def {name}(state, steps):
    """Explicit Euler steps of a linear decay."""
    for _ in range(steps):
        state = state - {a} * state * 0.01
    return state
''',
    '''def {name}(grid):
    """A three-point smoothing stencil, written with a loop."""
    out = np.copy(grid)
    for i in range(1, grid.shape[0] - 1):
        out[i] = (grid[i - 1] + grid[i] + grid[i + 1]) / 3.0
    return out
''',
)

INPLACE_FUNCTIONS = (
    '''def {name}(a, threshold):
    """Clip large values in place, then scale."""
    a = np.array(a, dtype=float)
    a[a > threshold] = threshold
    a *= {a}
    return a
''',
    '''def {name}(buffer, index, value):
    """Accumulate into a copy of a buffer."""
    out = buffer.copy()
    out[index] += value
    out[0] = {b}
    return out
''',
)

RANDOM_FUNCTIONS = (
    '''def {name}(n):
    """Gaussian noise around a fixed offset."""
    noise = np.random.normal({b}, {a}, size=n)
    return noise + np.random.uniform(0.0, 1.0, size=n)
''',
    '''def {name}(data, k):
    """Bootstrap resampling of the mean."""
    means = []
    for _ in range(k):
        sample = np.random.choice(data, size=len(data))
        means.append(np.mean(sample))
    return np.array(means)
''',
)

VECTOR_FUNCTIONS = (
    '''def {name}(x, y):
    """A weighted distance between two vectors."""
    diff = x - y
    return np.sqrt(np.sum(diff * diff) * {a})
''',
    '''def {name}(points):
    """Centre a point cloud and normalise it."""
    centred = points - np.mean(points, axis=0)
    scale = np.max(np.abs(centred)) + {b}
    return centred / scale
''',
    '''def {name}(x, lo, hi):
    """Piecewise response: a branch on the sign of the input."""
    if x > {b}:
        return np.clip(x, lo, hi) * {a}
    return np.exp(x) - 1.0
''',
)

PLAIN_FUNCTIONS = (
    '''def {name}(names):
    """Group names by their first letter."""
    groups = {{}}
    for name in names:
        groups.setdefault(name[:1].lower(), []).append(name)
    return groups
''',
    '''def {name}(text, width={c}):
    """Wrap text at a fixed width."""
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{{line}} {{word}}".strip()
    return lines + [line]
''',
    '''def {name}(config, key, default=None):
    """Read a nested key written as 'a.b.c'."""
    node = config
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node
''',
)

ANNOTATED_FUNCTIONS = (
    '''def {name}(values: np.ndarray, label: str) -> str:
    """Describe an array for a log line, without computing on it."""
    return f"{{label}}: {{len(values)}} values"
''',
    '''def {name}(table: dict, keys: list) -> list:
    """Pick entries of a table by key."""
    return [table[key] for key in keys if key in table]
''',
)

# (templates, share of the functions of a module drawn from them) per kind of module
MODULE_KINDS = {
    "numeric": (LOOP_FUNCTIONS + INPLACE_FUNCTIONS + VECTOR_FUNCTIONS + PLAIN_FUNCTIONS, "import numpy as np\n"),
    "stochastic": (RANDOM_FUNCTIONS + VECTOR_FUNCTIONS + PLAIN_FUNCTIONS, "import numpy as np\n"),
    "annotations": (ANNOTATED_FUNCTIONS + PLAIN_FUNCTIONS, "import numpy as np\n"),
    "plain": (PLAIN_FUNCTIONS, "import os\n"),
}
KIND_WEIGHTS = {"numeric": 5, "stochastic": 2, "annotations": 2, "plain": 1}
FUNCTIONS_PER_MODULE = (8, 40)


def _module(rng: random.Random, kind: str, index: int) -> str:
    templates, header = MODULE_KINDS[kind]
    parts = [f'"""Legacy {kind} module {index}, generated for the tool-speed benchmark."""\n', header]
    for number in range(rng.randint(*FUNCTIONS_PER_MODULE)):
        template = rng.choice(templates)
        parts.append(
            "\n\n" + template.format(
                name=f"{kind}_{index}_{number}", a=round(rng.uniform(0.1, 3.0), 3),
                b=round(rng.uniform(-1.0, 1.0), 3), c=rng.randint(20, 100),
            )
        )
    return "".join(parts)


def generate_tree(root: Path, total_lines: int = 30_000, seed: int = 0) -> list[Path]:
    """Write modules under ``root`` until they hold at least ``total_lines`` lines; the paths written."""
    rng = random.Random(seed)
    kinds = [kind for kind, weight in KIND_WEIGHTS.items() for _ in range(weight)]
    written, lines, index = [], 0, 0
    while lines < total_lines:
        kind = rng.choice(kinds)
        text = _module(rng, kind, index)
        path = root / f"package_{index // 20:02d}" / f"{kind}_{index:04d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
        lines += text.count("\n")
        index += 1
    return written
