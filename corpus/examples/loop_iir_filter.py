# jaxify: skip-file
"""Example inputs for corpus/programs/loop_iir_filter.py."""
import numpy as np


def jaxify_examples():
    t = np.linspace(0.0, 1.0, 1000)
    signal = np.sin(2 * np.pi * 5 * t) + 0.3 * np.sin(2 * np.pi * 120 * t)
    return {
        "exponential_smoothing": [(signal, 0.1), (np.array([1.0, 0.0, 0.0, 2.0]), 0.5)],
        "biquad": [(signal, 0.0675, 0.135, 0.0675, -1.143, 0.4128)],
    }


def jaxify_benchmark_examples():
    # one second of audio at 48 kHz
    t = np.linspace(0.0, 1.0, 48000)
    signal = np.sin(2 * np.pi * 440 * t) + 0.3 * np.sin(2 * np.pi * 9000 * t)
    return {"exponential_smoothing": [(signal, 0.1)], "biquad": [(signal, 0.0675, 0.135, 0.0675, -1.143, 0.4128)]}
