# jaxify: skip-file
def trap_calls(module):
    tokens = ["the", "cat", "sat", "on", "the", "mat"]
    return [
        ("vocabulary", (list(tokens),), {}),
        ("longest", (list(tokens),), {}),
        ("padded", (list(tokens), 5), {}),
    ]
