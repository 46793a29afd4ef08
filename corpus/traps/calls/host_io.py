# jaxify: skip-file
def trap_calls(module):
    return [
        ("round_trip", ([[1.0, 2.0], [3.0, 4.5]],), {}),
        ("read_table", ("a,b\n1,2\n3,4\n",), {}),
        ("report", ([1.0, 2.5],), {}),
    ]
