"""Records with named fields: a structured dtype, sorted and updated by field."""
import numpy as np

PEOPLE = [("ann", 31, 1.62), ("bob", 25, 1.80), ("cid", 47, 1.75)]


def people_table(rows):
    table = np.array(rows, dtype=[("name", "U8"), ("age", "i8"), ("height", "f8")])
    table["age"] += 1
    table.sort(order="age")
    return table


def oldest(rows):
    table = people_table(rows)
    return table["name"][-1], np.max(table["age"])


def bmi(rows, weights):
    table = people_table(rows)
    w = np.asarray(weights, dtype=float)
    return w / table["height"] ** 2
