# jaxify: skip-file
"""Example inputs for corpus/programs/loop_viterbi.py."""
import numpy as np


def _model(rng, n_states, n_symbols, n_steps):
    start = rng.dirichlet(np.ones(n_states))
    trans = rng.dirichlet(np.ones(n_states), size=n_states)
    emit = rng.dirichlet(np.ones(n_symbols), size=n_states)
    observations = rng.integers(0, n_symbols, n_steps)
    return np.log(start), np.log(trans), np.log(emit), observations


def jaxify_examples():
    rng = np.random.default_rng(7)
    return {"viterbi": [_model(rng, 6, 5, 150), _model(rng, 2, 3, 4)]}


def jaxify_benchmark_examples():
    # a 10-state model decoding 2000 observations
    return {"viterbi": [_model(np.random.default_rng(8), 10, 6, 2000)]}
