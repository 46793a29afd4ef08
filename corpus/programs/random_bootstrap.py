"""Bootstrap: resample a data set with replacement to estimate the spread of its mean."""
import numpy as np


def bootstrap_means(data, n_boot):
    n = data.shape[0]
    means = np.zeros(n_boot)
    for b in range(n_boot):
        idx = np.random.randint(0, n, size=n)
        means[b] = np.mean(data[idx])
    return means


def bootstrap_std_error(data, n_boot):
    means = bootstrap_means(data, n_boot)
    return np.std(means)


def permutation_test(a, b, n_perm):
    pooled = np.concatenate([a, b])
    observed = np.mean(a) - np.mean(b)
    count = 0.0
    for i in range(n_perm):
        shuffled = np.random.permutation(pooled)
        diff = np.mean(shuffled[: a.shape[0]]) - np.mean(shuffled[a.shape[0]:])
        count = count + (np.abs(diff) >= np.abs(observed))
    return count / n_perm
