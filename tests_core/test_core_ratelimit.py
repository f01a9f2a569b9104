"""RateLimiter: sliding windows, shared by threads, on a test clock (no real waiting)."""

import threading

import pytest

from qonto_einvoicing import QONTO_RATE_LIMITS, RateLimiter


class FakeClock:
    """A clock that moves only when someone sleeps on it."""

    def __init__(self):
        self.now = 0.0
        self.lock = threading.Lock()
        self.slept = []

    def __call__(self):
        with self.lock:
            return self.now

    def sleep(self, seconds):
        with self.lock:
            self.slept.append(seconds)
            self.now += seconds


def max_in_any_window(stamps, seconds):
    stamps = sorted(stamps)
    return max(sum(1 for t in stamps[i:] if t < start + seconds)
               for i, start in enumerate(stamps))


def test_qonto_limits_are_the_documented_ones():
    assert QONTO_RATE_LIMITS == ((1000, 10.0), (10000, 600.0))
    limiter = RateLimiter()
    assert limiter.limits == ((950, 10.0), (9500, 600.0))  # 5 % headroom


def test_a_burst_past_the_short_window_waits_for_the_oldest_request_to_leave():
    clock = FakeClock()
    limiter = RateLimiter(((5, 1.0),), headroom=1.0, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        assert limiter.acquire() == 0
    assert clock.slept == []
    assert limiter.acquire() == pytest.approx(1.0)  # the 6th waits for the 1st to leave
    assert limiter.in_window(1.0) == 1  # the first five have left the window


def test_the_long_window_paces_a_sustained_load():
    clock = FakeClock()
    # Qonto's shape, scaled down: 10 per 1 s and 30 per 60 s.
    limiter = RateLimiter(((10, 1.0), (30, 60.0)), headroom=1.0, clock=clock,
                          sleep=clock.sleep)
    stamps = []
    for _ in range(90):
        limiter.acquire()
        stamps.append(clock())
    assert max_in_any_window(stamps, 1.0) <= 10
    assert max_in_any_window(stamps, 60.0) <= 30
    assert clock() >= 120.0  # 90 requests at 30 a minute take two minutes at least


def test_headroom_leaves_room_for_other_processes():
    clock = FakeClock()
    limiter = RateLimiter(((100, 10.0),), headroom=0.9, clock=clock, sleep=clock.sleep)
    for _ in range(90):
        limiter.acquire()
    assert clock() == 0
    limiter.acquire()
    assert clock() == pytest.approx(10.0)


def test_penalize_makes_every_caller_wait():
    clock = FakeClock()
    limiter = RateLimiter(((100, 1.0),), clock=clock, sleep=clock.sleep)
    limiter.acquire()
    limiter.penalize(7.5)
    assert limiter.acquire() == pytest.approx(7.5)
    assert limiter.acquire() == 0


def test_threads_sharing_a_limiter_never_exceed_a_window():
    clock = FakeClock()
    limiter = RateLimiter(((5, 1.0),), headroom=1.0, clock=clock, sleep=clock.sleep)
    stamps, stamps_lock = [], threading.Lock()

    def work():
        for _ in range(20):
            limiter.acquire()
            with stamps_lock:
                stamps.append(clock())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(stamps) == 80
    # A thread that slept may find the clock already moved on by another: the fake
    # clock only ever goes forward, so the window check is on what acquire recorded.
    assert max_in_any_window(list(limiter._stamps), 1.0) <= 5


@pytest.mark.parametrize("kwargs", [
    {"windows": ()}, {"windows": ((0, 1.0),)}, {"windows": ((1, 0),)}, {"headroom": 0},
    {"headroom": 1.5},
])
def test_nonsense_settings_are_refused(kwargs):
    with pytest.raises(ValueError):
        RateLimiter(**kwargs)
