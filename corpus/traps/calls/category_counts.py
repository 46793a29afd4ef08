# jaxify: skip-file
def trap_calls(module):
    labels = ["b", "a", "c", "a"]
    vocab = ["c", "a", "b"]
    return [
        ("codes", (list(labels), list(vocab)), {}),
        ("histogram", (list(labels), list(vocab)), {}),
        ("most_common", (list(labels),), {}),
    ]
