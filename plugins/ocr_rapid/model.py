"""One RapidOCR model per process, loaded lazily, and runs of it that a deadline really stops.

RapidOCR's work is a handful of ONNX Runtime calls (one detection, a few classifier and recogniser
batches) with light Python between them. ONNX Runtime can cancel a running call from another
thread (``RunOptions.terminate``), so a page's time limit interrupts the C++ code itself, unlike a
Dramatiq TimeLimit, which cannot stop C code.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import numpy as np

from core.plugin_api import EngineError, EngineUnavailable

_lock = threading.Lock()  # guards loading
_run_lock = threading.Lock()  # RapidOCR.__call__ mutates the instance: one page at a time
_model: Any = None
_guard: _Deadline | None = None


def threads(chosen: int | None = None) -> int:
    """ONNX threads per call: the setting's, else at most 2 (our machines have 2 cores; more threads
    only contend)."""
    return chosen or min(2, os.cpu_count() or 1)


class TimedOut(EngineError):
    pass


class _Deadline:
    """Run options shared by every ONNX call of one page; a timer sets ``terminate`` when time is up."""

    def __init__(self, seconds: float) -> None:
        import onnxruntime as ort

        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.options = ort.RunOptions()
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        self.expired = True
        self.options.terminate = True

    def check(self) -> None:
        if self.expired or time.monotonic() >= self.end:
            self.expired = True
            raise TimedOut(f"RapidOCR took longer than {self.seconds:.0f} s")

    def cancel(self) -> None:
        self._timer.cancel()


class _BoundedSession:
    """An onnxruntime InferenceSession whose ``run`` obeys the current page's deadline."""

    def __init__(self, session: Any) -> None:
        self._session = session

    def run(self, output_names: Any, input_feed: Any, run_options: Any = None) -> Any:
        guard = _guard
        if guard is None:
            return self._session.run(output_names, input_feed, run_options)
        guard.check()  # no new batch once the time is up
        try:
            return self._session.run(output_names, input_feed, guard.options)
        except Exception:
            if guard.expired:
                raise TimedOut(f"RapidOCR took longer than {guard.seconds:.0f} s") from None
            raise

    def __getattr__(self, name: str) -> Any:  # get_inputs, get_outputs, get_modelmeta, ...
        return getattr(self._session, name)


def get_model(chosen_threads: int | None = None) -> Any:
    """The process's RapidOCR, built on first use from the models inside the wheel (no download),
    with ``chosen_threads`` (the setting) or the default."""
    global _model
    if _model is not None:
        return _model
    with _lock:
        if _model is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as exc:
                raise EngineUnavailable(
                    "RapidOCR is not installed on this server (pip install rapidocr-onnxruntime)."
                ) from exc
            n = threads(chosen_threads)
            try:
                # The engine scales pages itself (its maxSide setting); RapidOCR must not shrink them again.
                model = RapidOCR(intra_op_num_threads=n, inter_op_num_threads=1, max_side_len=100_000)
            except Exception as exc:  # a missing or damaged model file, an onnxruntime that won't load
                raise EngineUnavailable(f"RapidOCR could not load its models: {exc}") from exc
            for holder in (model.text_det.infer, model.text_cls.infer, model.text_rec.session):
                holder.session = _BoundedSession(holder.session)
            _model = model
    return _model


def run(
    image: np.ndarray, *, timeout_s: float, text_score: float, onnx_threads: int | None = None
) -> list[list[Any]]:
    """RapidOCR's lines with per-character boxes: [[quad, text, score, char_quads, chars, char_confs]].

    Raises TimedOut when the page takes longer than ``timeout_s`` (waiting for another page included).
    """
    global _guard
    model = get_model(onnx_threads)
    start = time.monotonic()
    if not _run_lock.acquire(timeout=timeout_s):
        raise TimedOut(f"RapidOCR was busy for longer than {timeout_s:.0f} s")
    guard = _Deadline(max(0.1, timeout_s - (time.monotonic() - start)))
    _guard = guard
    try:
        result, _elapsed = model(
            image,
            return_word_box=True,
            # Passing any keyword resets these to RapidOCR's defaults: pass them all explicitly.
            box_thresh=0.5,
            unclip_ratio=1.6,
            text_score=text_score,
        )
        guard.check()  # the Python between the ONNX calls ran past the deadline
    except TimedOut:
        raise
    except Exception as exc:
        if guard.expired:
            raise TimedOut(f"RapidOCR took longer than {timeout_s:.0f} s") from None
        raise EngineError(f"RapidOCR failed: {exc}") from exc
    finally:
        guard.cancel()
        _guard = None
        _run_lock.release()
    return result or []
