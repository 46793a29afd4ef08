"""Gillespie's stochastic simulation of a birth-death process: exponential waiting times between
events, the event chosen by a uniform draw, stopped when the population dies out or time runs out."""
import numpy as np


def birth_death(n0, birth_rate, death_rate, t_end, max_events):
    t = 0.0
    n = n0
    for event in range(max_events):
        up = birth_rate * n
        down = death_rate * n
        total = up + down
        if total == 0.0:
            break
        t += np.random.exponential(1.0 / total)
        if t > t_end:
            break
        if np.random.uniform() * total < up:
            n += 1
        else:
            n -= 1
    return n
