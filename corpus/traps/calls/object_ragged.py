# jaxify: skip-file
def trap_calls(module):
    rows = [[1, 2, 3], [4], [5, 6]]
    return [
        ("ragged", ([list(r) for r in rows],), {}),
        ("row_lengths", ([list(r) for r in rows],), {}),
        ("row_sums", ([list(r) for r in rows],), {}),
    ]
