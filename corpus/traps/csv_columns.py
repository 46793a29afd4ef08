"""Parse CSV text into columns: string arrays first, numbers only after an explicit cast."""
import numpy as np


def columns(text):
    rows = [line.split(",") for line in text.strip().splitlines()]
    table = np.array(rows)
    header = table[0]
    body = table[1:]
    return header, body


def numeric_column(text, index):
    header, body = columns(text)
    values = body[:, index]
    values[values == ""] = "nan"
    return values.astype(float)


def column_totals(text):
    header, body = columns(text)
    totals = np.zeros(len(header))
    for j in range(len(header)):
        cells = body[:, j]
        for i in range(cells.shape[0]):
            totals[j] += float(cells[i]) if cells[i] else 0.0
    return totals
