# jaxify: skip-file
def trap_calls(module):
    stamps = ["2024-01-01T00:00:00", "2024-01-01T00:30:00", "2024-01-01T02:00:00"]
    return [
        ("business_days", ("2024-01-01", 10), {}),
        ("durations", (list(stamps),), {}),
        ("shift", (list(stamps), 3), {}),
    ]
