# jaxify: skip-file
"""Hand-written JAX for corpus/programs/vec_finance.py."""
import jax
import jax.numpy as jnp

TRADING_DAYS = 252


def log_returns(prices):
    return jnp.diff(jnp.log(prices), axis=0)


def sharpe_ratio(prices, risk_free=0.0):
    r = log_returns(prices) - risk_free / TRADING_DAYS
    return jnp.sqrt(TRADING_DAYS) * jnp.mean(r, axis=0) / jnp.std(r, axis=0, ddof=1)


def max_drawdown(prices):
    peaks = jax.lax.cummax(prices, axis=0)
    return jnp.max(1.0 - prices / peaks, axis=0)


def portfolio_volatility(prices, weights):
    cov = jnp.cov(log_returns(prices), rowvar=False)
    return jnp.sqrt(weights @ cov @ weights * TRADING_DAYS)


def value_at_risk(prices, level=0.05):
    return -jnp.quantile(log_returns(prices), level, axis=0)
