"""Return and risk measures over price series (rows: days, columns: assets)."""
import numpy as np

TRADING_DAYS = 252


def log_returns(prices):
    return np.diff(np.log(prices), axis=0)


def sharpe_ratio(prices, risk_free=0.0):
    r = log_returns(prices) - risk_free / TRADING_DAYS
    return np.sqrt(TRADING_DAYS) * np.mean(r, axis=0) / np.std(r, axis=0, ddof=1)


def max_drawdown(prices):
    peaks = np.maximum.accumulate(prices, axis=0)
    return np.max(1.0 - prices / peaks, axis=0)


def portfolio_volatility(prices, weights):
    cov = np.cov(log_returns(prices), rowvar=False)
    return np.sqrt(weights @ cov @ weights * TRADING_DAYS)


def value_at_risk(prices, level=0.05):
    returns = log_returns(prices)
    return -np.quantile(returns, level, axis=0)
