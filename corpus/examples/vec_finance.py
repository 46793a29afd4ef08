# jaxify: skip-file
"""Example inputs for corpus/programs/vec_finance.py."""
import numpy as np


def jaxify_examples():
    rng = np.random.default_rng(21)
    steps = rng.normal(0.0005, 0.01, size=(300, 4))
    prices = 100.0 * np.exp(np.cumsum(steps, axis=0))
    weights = np.array([0.4, 0.3, 0.2, 0.1])
    return {
        "log_returns": [(prices,)],
        "sharpe_ratio": [(prices,), (prices, 0.02)],
        "max_drawdown": [(prices,)],
        "portfolio_volatility": [(prices, weights)],
        "value_at_risk": [(prices,), (prices, 0.01)],
    }
