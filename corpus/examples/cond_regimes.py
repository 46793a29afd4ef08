# jaxify: skip-file
"""Example inputs for corpus/programs/cond_regimes.py: states in each regime."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(42)
    state = rng.normal(size=20)
    drift = rng.normal(size=20)
    A = rng.normal(size=(6, 6))
    incomes = rng.uniform(0.0, 250000.0, size=40)
    temps = rng.uniform(15.0, 25.0, size=30)
    return {
        "volatility_step": [(state, drift, 0.5), (state, drift, 50.0), (state, drift, 1.0)],
        "mixing_update": [(A, np.full(6, 2.0)), (A, np.full(6, -2.0)), (A, rng.normal(scale=0.1, size=6))],
        "tax_owed": [(incomes,)],
        "thermostat": [(temps, 20.0, 1.5)],
    }


def jaxify_benchmark_examples():
    # 10^5 households; a day of one-second temperature readings
    rng = np.random.default_rng(45)
    return {"tax_owed": [(rng.uniform(0.0, 250000.0, size=100000),)],
            "thermostat": [(rng.uniform(15.0, 25.0, size=86400), 20.0, 1.5)]}
