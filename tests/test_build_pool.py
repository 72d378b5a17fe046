"""The warm pool (quizgen.build_pool): workers forked from one process that
warmed up, with the executor behaviour the build relies on: results in the
caller's hands, a unit's exception as raised, a dead worker or relay as
BrokenProcessPool, and no task lost or run twice."""

from __future__ import annotations

import os
import signal

import pytest
from concurrent.futures.process import BrokenProcessPool

from quizgen.build_pool import WarmPool

WARMED = []


def _init(tag):
    os.environ["QUIZGEN_TEST_POOL"] = tag


def _warm():
    WARMED.append(os.getpid())


def _who(x):
    # the worker is not the relay, saw the initializer and the warm-up, and runs in a fork of the relay
    return x * 2, os.getpid(), os.getppid(), os.environ.get("QUIZGEN_TEST_POOL"), list(WARMED)


def _boom(x):
    raise ValueError(f"bad {x}")


def _die(_):
    os.kill(os.getpid(), signal.SIGKILL)


def test_results_come_back_from_warm_forked_workers():
    pool = WarmPool(2, _init, ("set",), _warm)
    try:
        results = [pool.submit(_who, i).result(timeout=60) for i in range(8)]
    finally:
        pool.shutdown()
    assert [r[0] for r in results] == [i * 2 for i in range(8)]
    relay = {r[2] for r in results}
    assert len(relay) == 1 and os.getpid() not in relay and os.getpid() not in {r[1] for r in results}
    assert {r[3] for r in results} == {"set"}
    assert all(r[4] == [next(iter(relay))] for r in results)  # warmed once, in the relay, before forking
    assert "QUIZGEN_TEST_POOL" not in os.environ


def test_a_units_exception_is_raised_where_its_result_is_asked():
    pool = WarmPool(2, _init, ("x",), _warm)
    try:
        with pytest.raises(ValueError, match="bad 3"):
            pool.submit(_boom, 3).result(timeout=60)
        assert pool.submit(_who, 1).result(timeout=60)[0] == 2  # the pool goes on
    finally:
        pool.shutdown()


def test_a_dead_worker_breaks_the_pool_instead_of_hanging():
    pool = WarmPool(2, _init, ("x",), _warm)
    try:
        with pytest.raises(BrokenProcessPool):
            pool.submit(_die, 0).result(timeout=60)
    finally:
        pool.shutdown()


def test_a_dead_relay_breaks_every_pending_future():
    pool = WarmPool(1, _init, ("x",), _warm)
    first = pool.submit(_who, 1)
    assert first.result(timeout=60)[0] == 2
    os.kill(pool._process.pid, signal.SIGKILL)
    with pytest.raises(BrokenProcessPool):
        pool.submit(_who, 2).result(timeout=60)
    pool.shutdown()


def test_shutdown_with_cancel_stops_what_has_not_started():
    pool = WarmPool(1, _init, ("x",), _warm)
    futures = [pool.submit(_who, i) for i in range(3)]
    pool.shutdown(wait=True, cancel_futures=True)
    done = [f for f in futures if f.done() and not f.cancelled() and f.exception() is None]
    # what ran came back whole; nothing is left waiting forever
    assert all(f.done() for f in futures)
    assert all(f.result()[0] == 2 * futures.index(f) for f in done)
    with pytest.raises(RuntimeError):
        pool.submit(_who, 9)
