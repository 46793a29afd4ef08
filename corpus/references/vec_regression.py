# jaxify: skip-file
"""Hand-written JAX for corpus/programs/vec_regression.py."""
import jax.numpy as jnp


def add_intercept(X):
    return jnp.hstack([jnp.ones((X.shape[0], 1), X.dtype), X])


def ridge_fit(X, y, lam):
    A = add_intercept(X)
    penalty = (lam * jnp.eye(A.shape[1])).at[0, 0].set(0.0)
    return jnp.linalg.solve(A.T @ A + penalty, A.T @ y)


def predict(X, coef):
    return add_intercept(X) @ coef


def r2_score(y, y_hat):
    return 1.0 - jnp.sum((y - y_hat) ** 2) / jnp.sum((y - jnp.mean(y)) ** 2)


def polyfit_residuals(x, y, degree):
    return y - jnp.polyval(jnp.polyfit(x, y, degree), x)
