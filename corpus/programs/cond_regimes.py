"""Regime-switching updates: the rule applied depends on a statistic of the state."""
import numpy as np


def volatility_step(state, drift, threshold):
    vol = np.std(state)
    if vol > threshold:
        new = state - 0.5 * drift
    elif vol < 0.1 * threshold:
        new = state + drift
    else:
        new = state + 0.1 * drift
    return new


def mixing_update(A, x):
    s = np.mean(x)
    if s > 1.0:
        y = A @ x
    elif s < -1.0:
        y = A.T @ x
    else:
        y = 0.5 * (A @ x + A.T @ x)
    return y


def tax_owed(incomes):
    owed = np.zeros_like(incomes)
    for i in range(incomes.shape[0]):
        income = incomes[i]
        if income > 100000.0:
            owed[i] = 0.4 * (income - 100000.0) + 20000.0
        elif income > 20000.0:
            owed[i] = 0.25 * (income - 20000.0)
        else:
            owed[i] = 0.0
    return owed


def thermostat(temps, setpoint, band):
    heating = np.zeros(temps.shape[0])
    for i in range(temps.shape[0]):
        if temps[i] < setpoint - band:
            heating[i] = 1.0
        elif temps[i] > setpoint + band:
            heating[i] = -1.0
    return heating
