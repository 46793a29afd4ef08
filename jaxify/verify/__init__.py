"""``jaxify verify``: run original and rewritten code side by side and compare (issue 4).

    session.py       which files, which functions changed (functions.py), one isolated worker per module
    isolation.py     the worker subprocess: timeout, memory cap, progress kept when it dies
    worker.py        in the subprocess: import both modules, check each changed function
    samples.py       inputs: jaxify_examples() (module or sidecar), captured calls (capture.py)
    strategies.py    Hypothesis inputs guided by how the original uses its parameters
    contract.py      what the rewrite must return when the original mutated its arguments
    compare.py       the one pytree comparison (also behind tests/harness.assert_same)
    distribution.py  random functions: two-sample tests over many seeds and keys
    gradient.py      NaN gradients, and gradients against finite differences of the original
    jit_errors.py    jit failures in plain words at the user's line
    timing.py        compile time apart, block_until_ready, median and spread
    report.py        text table, JSON, markdown, PNG plot
"""
