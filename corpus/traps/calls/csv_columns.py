# jaxify: skip-file
TEXT = "a,b,c\n1,2,3\n4,,6\n7.5,8,9\n"


def trap_calls(module):
    return [
        ("columns", (TEXT,), {}),
        ("numeric_column", (TEXT, 1), {}),
        ("column_totals", (TEXT,), {}),
    ]
