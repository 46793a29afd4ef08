# jaxify: skip-file
def trap_calls(module):
    return [
        ("shout", (["ab", "cd"],), {}),
        ("initials", (["alpha", "beta"],), {}),
        ("joined", (["ann", "bob"], ["lee", "ray"]), {}),
    ]
