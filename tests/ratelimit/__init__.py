import time


def away_from_window_edge(seconds_needed: float = 20) -> None:
    """Start a sequence of requests where it cannot cross into the limiter's next minute.

    The sliding window weighs the last minute's count by how much of it still overlaps, so a
    sequence that crosses a minute's edge may be let through one request more than it counts.
    """
    left = 60 - time.time() % 60
    if left < seconds_needed:
        time.sleep(left + 0.5)
