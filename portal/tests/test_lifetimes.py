import time

import pytest

from portal import lifetimes


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.calls


def test_a_timed_value_is_computed_on_first_use_whenever_the_machine_booted(monkeypatch):
    # A machine booted a second ago: the monotonic clock is near 0.
    monkeypatch.setattr(time, "monotonic", lambda: 1.0)
    compute = Counter()
    value = lifetimes.TimedValue(compute, seconds=300)
    assert value.get() == 1
    assert value.get() == 1


def test_a_timed_value_is_computed_again_once_it_is_old(monkeypatch):
    clock = [5_000_000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    value = lifetimes.TimedValue(Counter(), seconds=300)
    assert value.get() == 1
    clock[0] += 299
    assert value.get() == 1
    clock[0] += 1
    assert value.get() == 2


def test_a_versioned_value_follows_the_version():
    version = ["a"]
    value = lifetimes.VersionedValue(Counter(), version=lambda: version[0])
    assert value.get() == 1
    assert value.get() == 1
    version[0] = "b"
    assert value.get() == 2


def test_a_versioned_value_without_a_known_version_is_never_reused():
    value = lifetimes.VersionedValue(Counter(), version=lambda: None)
    assert value.get() == 1
    assert value.get() == 2


@pytest.mark.parametrize("boot_clock", [1.0, 5_000_000.0])
def test_a_cooldown_is_inactive_until_started_and_ends(monkeypatch, boot_clock):
    clock = [boot_clock]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    cooldown = lifetimes.Cooldown(seconds=5)
    assert not cooldown.active
    cooldown.start()
    assert cooldown.active
    clock[0] += 5
    assert not cooldown.active


def test_a_flag_is_down_until_set():
    flag = lifetimes.Flag()
    assert not flag.raised
    flag.set()
    assert flag.raised
    flag.clear()
    assert not flag.raised


def test_clear_all_forgets_every_value():
    timed = lifetimes.TimedValue(Counter(), seconds=300)
    cooldown = lifetimes.Cooldown(seconds=300)
    flag = lifetimes.Flag()
    timed.get()
    cooldown.start()
    flag.set()
    lifetimes.clear_all()
    assert timed.get() == 2
    assert not cooldown.active
    assert not flag.raised


def test_recent_keys_are_forgotten_once_old(monkeypatch):
    clock = [5_000_000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    keys = lifetimes.RecentKeys(seconds=60, size=10)
    keys.add("a")
    clock[0] += 59
    assert "a" in keys
    clock[0] += 1
    assert "a" not in keys


def test_recent_keys_keep_at_most_their_size_forgetting_the_oldest_first():
    keys = lifetimes.RecentKeys(seconds=60, size=3)
    for key in "abcd":
        keys.add(key)
    assert [key in keys for key in "abcd"] == [False, True, True, True]
    keys.add("b")  # seen again: now the newest
    keys.add("e")
    assert [key in keys for key in "bcde"] == [True, False, True, True]


def test_last_used_values_are_kept_per_key_until_cleared():
    calls = []
    remembered = lifetimes.LastUsed(lambda a, b: calls.append((a, b)) or a + b, size=2)
    assert [remembered.get(1, 2), remembered.get(1, 2), remembered.get(2, 2)] == [3, 3, 4]
    assert calls == [(1, 2), (2, 2)]
    lifetimes.clear_all()
    remembered.get(1, 2)
    assert calls[-1] == (1, 2) and len(calls) == 3


def test_last_used_keeps_at_most_its_size_forgetting_the_least_recently_used():
    calls = []
    remembered = lifetimes.LastUsed(lambda key: calls.append(key) or key, size=2)
    for key in ("a", "b", "a", "c", "a", "b"):
        remembered.get(key)
    assert calls == ["a", "b", "c", "b"]
