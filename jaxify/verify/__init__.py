"""``jaxify verify``: run original and rewritten code side by side and compare (issue 4)."""
