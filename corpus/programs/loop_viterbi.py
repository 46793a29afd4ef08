"""The Viterbi algorithm for a hidden Markov model in log probabilities: the best score per state,
step by step, with back-pointers, then the most likely path traced back."""
import numpy as np


def viterbi(log_start, log_trans, log_emit, observations):
    n_steps = observations.shape[0]
    n_states = log_start.shape[0]
    score = np.zeros((n_steps, n_states))
    back = np.zeros((n_steps, n_states), dtype=np.int64)
    for k in range(n_states):
        score[0, k] = log_start[k] + log_emit[k, observations[0]]
    for t in range(1, n_steps):
        for k in range(n_states):
            best = -np.inf
            best_j = 0
            for j in range(n_states):
                value = score[t - 1, j] + log_trans[j, k]
                if value > best:
                    best = value
                    best_j = j
            score[t, k] = best + log_emit[k, observations[t]]
            back[t, k] = best_j
    path = np.zeros(n_steps, dtype=np.int64)
    path[n_steps - 1] = np.argmax(score[n_steps - 1])
    for t in range(n_steps - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path, np.max(score[n_steps - 1])
