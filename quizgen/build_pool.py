"""A pool of workers forked from one warm process: what quizgen.build_units
starts before the bank loads, when the last build was big enough to want one.

Forked workers each imported the renderers and parsed the fonts before their
first PDF: a fifth of a build's CPU time on two cores, done twice while the
parent was loading the bank on those same cores. Here one child forks from
the parent, warms up once (quizgen.build_units.warm_up) and forks the
workers from itself, so they start warm and nothing is imported twice. The
child relays tasks to its workers and their results back.

Unlike a fork server (multiprocessing's "forkserver"), every process here is
forked: nothing imports the caller's ``__main__`` again, and the workers see
what the parent had imported and set when the build started.
"""

from __future__ import annotations

import functools
import itertools
import threading
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool


class WarmPool:
    """Enough of concurrent.futures' executor for build_units: submit and shutdown."""

    def __init__(self, jobs: int, initializer, initargs: tuple, warm):
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._conn, theirs = context.Pipe()
        self._process = context.Process(target=_relay, args=(theirs, jobs, initializer, initargs, warm),
                                        name="quizgen-warm-pool")
        self._process.start()
        theirs.close()
        self._ids = itertools.count()
        self._pending: dict[int, Future] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot submit after shutdown")
            n = next(self._ids)
            self._pending[n] = future
            try:
                self._conn.send((n, fn, args))
            except (OSError, ValueError) as exc:  # the relay is gone
                del self._pending[n]
                future.set_exception(BrokenProcessPool(f"the warm pool stopped ({exc})"))
        return future

    def _read(self) -> None:
        from multiprocessing.connection import wait

        while True:
            # the relay's end of the pipe may outlive it in a worker: its exit counts as the end too
            ready = wait([self._conn, self._process.sentinel])
            if self._conn not in ready:
                break
            try:
                n, ok, value = self._conn.recv()
            except (EOFError, OSError):
                break
            with self._lock:
                future = self._pending.pop(n, None)
            if future is not None and future.set_running_or_notify_cancel():
                future.set_result(value) if ok else future.set_exception(value)
        with self._lock:
            lost, self._pending = list(self._pending.values()), {}
        for future in lost:
            if future.set_running_or_notify_cancel():
                future.set_exception(BrokenProcessPool("the warm pool's process ended"))

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                try:
                    self._conn.send(("stop", cancel_futures))
                except (OSError, ValueError):
                    pass
        if wait:
            self._process.join()
            self._reader.join()


def _relay(conn, jobs: int, initializer, initargs: tuple, warm) -> None:
    """The warm process: warm up, fork the workers, pass tasks on and results back."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    initializer(*initargs)  # what a worker does first (ignore Ctrl-C, give up the folder's lock)
    warm()
    # forked from here, the workers inherit what the initializer did and what warm() loaded
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_start, initargs=(conn,))
    sending = threading.Lock()

    def send_back(n: int, future: Future) -> None:
        try:
            message = (n, True, future.result())
        except BaseException as exc:  # the worker's exception, or BrokenProcessPool
            message = (n, False, exc)
        with sending:
            try:
                conn.send(message)
            except (OSError, ValueError):
                pass
            except Exception as exc:  # an unpicklable result: say so instead
                conn.send((n, False, RuntimeError(f"result could not be sent back: {exc!r}")))

    cancel = True
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            break
        if message[0] == "stop":
            cancel = message[1]
            break
        n, fn, args = message
        pool.submit(fn, *args).add_done_callback(functools.partial(send_back, n))
    pool.shutdown(wait=True, cancel_futures=cancel)
    conn.close()


def _worker_start(conn) -> None:
    """A worker holds no end of the parent's pipe, and ends with the relay
    (Linux): a worker of a killed relay would otherwise wait for tasks forever."""
    conn.close()
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the worker lingers until its call queue breaks
        pass
