"""Calendar arithmetic with datetime64 and timedelta64 arrays."""
import numpy as np


def business_days(start, days):
    dates = np.arange(np.datetime64(start), np.datetime64(start) + days)
    weekday = (dates.astype("datetime64[D]").view("int64") - 4) % 7
    return dates[weekday < 5]


def durations(stamps):
    times = np.array(stamps, dtype="datetime64[s]")
    gaps = np.diff(times)
    return gaps / np.timedelta64(1, "m")


def shift(stamps, hours):
    times = np.array(stamps, dtype="datetime64[s]")
    for i in range(times.shape[0]):
        times[i] = times[i] + np.timedelta64(hours, "h")
    return times
