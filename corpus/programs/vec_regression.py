"""Least-squares fitting with the normal equations, as in many legacy analysis scripts."""
import numpy as np


def add_intercept(X):
    return np.hstack([np.ones((X.shape[0], 1)), X])


def ridge_fit(X, y, lam):
    """Coefficients of ridge regression (no penalty on the intercept column)."""
    A = add_intercept(X)
    penalty = lam * np.eye(A.shape[1])
    penalty[0, 0] = 0.0
    return np.linalg.solve(A.T @ A + penalty, A.T @ y)


def predict(X, coef):
    return add_intercept(X) @ coef


def r2_score(y, y_hat):
    residual = np.sum((y - y_hat) ** 2)
    total = np.sum((y - np.mean(y)) ** 2)
    return 1.0 - residual / total


def polyfit_residuals(x, y, degree):
    coef = np.polyfit(x, y, degree)
    return y - np.polyval(coef, x)
