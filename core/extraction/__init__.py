"""The reading kernel: pages of words and rules in, a timetable reading out (no product layer)."""
