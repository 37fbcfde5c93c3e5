"""The Claude engine: one Messages API call per document, retried on 429 and 5xx, answers cached.

Configuration comes from the engine's settings schema (plugins/llm_claude/settings.py), read at each
call so a value set later is picked up (constructor arguments win): the key (``ANTHROPIC_API_KEY``;
none -> EngineUnavailable), the endpoint, the model (a school may choose its own), the timeout and
backoff, and a disk cache of answers. A value the schema refuses skips the step with it named. A
school's own key (``anthropicApiKey``, core.engine_keys), when it set one, wins for its documents.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from core.plugin_api import (
    DraftTimetable,
    EngineUnavailable,
    LlmAnswer,
    PluginSettingsError,
    cached_llm_answer,
    engine_settings,
    school_key,
)
from plugins.llm_claude.answer import Usage, answer_confidence, cost_usd, to_draft
from plugins.llm_claude.content import MAX_PAGES, document_blocks
from plugins.llm_claude.prompt import PROMPT_VERSION, SYSTEM_PROMPT, TOOL, TOOL_NAME, user_text
from plugins.llm_claude.settings import PREFIX, ClaudeSettings

if TYPE_CHECKING:
    import anthropic

log = logging.getLogger(__name__)

ATTEMPTS = 3
MAX_BACKOFF_S = 20.0  # a Retry-After longer than this is not waited for inside a job
MAX_TOKENS = 8192  # a dense week is ~60 blocks of ~60 tokens; leaves room for notes
NO_KEY = "Claude is not set up: set ANTHROPIC_API_KEY"


def _error_message(exc: anthropic.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
    return exc.message


def _retry_after(exc: anthropic.APIStatusError) -> float:
    try:
        return float(exc.response.headers.get("retry-after", "0"))
    except (TypeError, ValueError):
        return 0.0


_MODEL = re.compile(r"claude-(opus|sonnet|haiku)-(\d+)(?:-(\d{1,2}))?(?:-\d{8})?$")


def accepts_temperature(model: str) -> bool:
    """Whether the model takes ``temperature``: Opus 4.7 and later, every 5.x model, and the
    Fable and Mythos families answer 400 ("`temperature` is deprecated for this model")."""
    if "fable" in model or "mythos" in model:
        return False
    m = _MODEL.search(model)
    if not m:
        return True  # an unknown name (a proxy's alias): send it, as the seed asks
    family, major, minor = m.group(1), int(m.group(2)), int(m.group(3) or 0)
    return major < 5 and not (family == "opus" and major == 4 and minor >= 7)


def _unpaid(answer: LlmAnswer) -> LlmAnswer:
    """A reused answer: no new tokens were spent on this reading."""
    answer.input_tokens = answer.output_tokens = 0
    answer.cost_usd = 0.0
    answer.draft.stats["cached"] = 1.0
    return answer


class ClaudeEngine:
    name = "claude"
    version = "1"  # with the prompt's version and the model, what an earlier answer is reused by
    prompt_version = PROMPT_VERSION
    settings_schema = ClaudeSettings  # shown and checked at /admin/plugins/llm_claude/settings
    settings_prefix = PREFIX

    def __init__(
        self,
        *,
        api_key: str | None = None,
        model: str | None = None,
        base_url: str | None = None,
        timeout_s: float | None = None,
        backoff_s: float | None = None,
        cache_dir: Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._api_key = api_key
        self._model = model
        self._base_url = base_url
        self._timeout_s = timeout_s
        self._backoff_s = backoff_s
        self._cache_dir = cache_dir
        self._sleep = sleep  # tests record the backoff instead of waiting

    # Configuration, resolved per call.
    @property
    def api_key(self) -> str | None:
        return (
            self._api_key
            or school_key("anthropicApiKey")  # the running job's school's own key, when it set one
            or self.settings.api_key
            or None
        )

    @property
    def settings(self) -> ClaudeSettings:
        try:
            return engine_settings(self)  # the running school's model, when it chose one
        except PluginSettingsError as exc:  # a refused value skips the step, saying which and why
            raise EngineUnavailable(str(exc)) from exc

    @property
    def cache_dir(self) -> Path | None:
        if self._cache_dir is not None:
            return self._cache_dir
        folder = self.settings.cache_dir
        return Path(folder) if folder else None

    @property
    def model(self) -> str:
        return self._model or self.settings.model

    @property
    def timeout_s(self) -> float:
        return self._timeout_s or self.settings.timeout

    @property
    def backoff_s(self) -> float:
        if self._backoff_s is not None:
            return self._backoff_s
        return self.settings.backoff

    def _client(self, key: str) -> anthropic.Anthropic:
        # The SDK loads on the first call, not with the plugin: its imports take about two seconds,
        # which every CLI run, worker and listing of plugins would pay otherwise.
        import anthropic

        return anthropic.Anthropic(
            api_key=key,
            base_url=self._base_url or self.settings.base_url or None,
            timeout=self.timeout_s,
            max_retries=0,  # our own loop: exactly ATTEMPTS tries, only on 429 / 5xx / no connection
        )

    def request(self, path: Path, hint: DraftTimetable | None) -> tuple[dict[str, Any], int]:
        """The Messages API parameters for a document, and its page count."""
        doc_blocks, pages = document_blocks(path)
        images = doc_blocks[0]["type"] == "image"
        text = user_text(hint, min(pages, MAX_PAGES), truncated=pages > MAX_PAGES, images=images)
        params: dict[str, Any] = {
            "model": self.model,
            "max_tokens": MAX_TOKENS,
            # Tools and system are the cached prefix: identical for every document. It is about 1,500
            # tokens, above Sonnet's 1,024 minimum; models with a 4,096 minimum just don't cache it.
            "system": [{"type": "text", "text": SYSTEM_PROMPT, "cache_control": {"type": "ephemeral"}}],
            "tools": [TOOL],
            "tool_choice": {"type": "tool", "name": TOOL_NAME},
            "messages": [{"role": "user", "content": [*doc_blocks, {"type": "text", "text": text}]}],
        }
        if accepts_temperature(self.model):
            # SDK 1.0 dropped sampling arguments from create(); the API still takes them in the body.
            params["extra_body"] = {"temperature": 0}
        return params, pages

    def extract(self, path: Path, hint: DraftTimetable | None) -> LlmAnswer:
        key = self.api_key
        if not key:
            raise EngineUnavailable(NO_KEY)
        # Shared by every worker (Redis) and kept per school: a document read before is not paid twice.
        return cached_llm_answer(
            self.name,
            self.model,
            self._answer_hash(path, hint),
            LlmAnswer,
            lambda: self._extract(key, path, hint),
            on_hit=_unpaid,
        )

    def _extract(self, key: str, path: Path, hint: DraftTimetable | None) -> LlmAnswer:
        cache_file = self._cache_file(path, hint)
        if cache_file is not None and cache_file.exists():
            try:
                cached = msgspec.json.decode(cache_file.read_bytes(), type=LlmAnswer)
            except (msgspec.DecodeError, OSError):
                cached = None  # a damaged cache entry is asked again, not trusted
            if cached is not None:
                return _unpaid(cached)
        params, pages = self.request(path, hint)
        response, attempts = self._call(key, params)
        answer = self._answer(response, pages, attempts)
        if cache_file is not None:
            try:
                cache_file.parent.mkdir(parents=True, exist_ok=True)
                tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_bytes(msgspec.json.encode(answer))
                tmp.replace(cache_file)  # atomic: a concurrent reader never sees half a file
            except OSError:
                # The answer is paid for and good; a full or read-only disk only loses the reuse.
                log.warning("could not keep Claude's answer in %s", cache_file, exc_info=True)
        return answer

    def _cache_file(self, path: Path, hint: DraftTimetable | None) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{self._answer_hash(path, hint)}.json"

    def _answer_hash(self, path: Path, hint: DraftTimetable | None) -> str:
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        # The answer depends on the file, the model, the rules and the hint's names.
        names = [hint.teacher or "", hint.class_name or ""] if hint else ["", ""]
        extra = "\0".join([self.model, PROMPT_VERSION, *names])
        h.update(extra.encode())
        return h.hexdigest()

    def _call(self, key: str, params: dict[str, Any]) -> tuple[Any, int]:
        client = self._client(key)
        import anthropic  # loaded by _client already: its errors, for the handlers below

        try:
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    return client.messages.create(**params), attempt
                except anthropic.APITimeoutError as exc:
                    # Not retried: a service that hangs for the whole timeout rarely answers a
                    # second later, and three waits would hold a worker for minutes.
                    raise EngineUnavailable(
                        f"Claude did not answer within {self.timeout_s:g} s; the step was skipped."
                    ) from exc
                except (anthropic.RateLimitError, anthropic.InternalServerError) as exc:
                    reason = self._status_reason(exc)
                    wait = max(self.backoff_s * 2 ** (attempt - 1), min(_retry_after(exc), MAX_BACKOFF_S))
                except anthropic.APIConnectionError as exc:
                    reason = f"Claude could not be reached ({exc.__cause__ or exc})"
                    wait = self.backoff_s * 2 ** (attempt - 1)
                except anthropic.APIStatusError as exc:
                    raise EngineUnavailable(self._status_reason(exc)) from exc
                if attempt == ATTEMPTS:
                    raise EngineUnavailable(f"{reason}, after {ATTEMPTS} attempts.")
                log.warning(
                    "Claude attempt %d of %d failed (%s); retrying in %.1f s", attempt, ATTEMPTS, reason, wait
                )
                self._sleep(wait)
        finally:
            client.close()
        raise AssertionError("unreachable")  # the loop returns or raises

    def _status_reason(self, exc: anthropic.APIStatusError) -> str:
        status, message = exc.status_code, _error_message(exc)
        if status == 429:
            return f"Claude's rate limit or quota was reached (429: {message})"
        if status >= 500:
            return f"Claude's service failed ({status}: {message})"
        if status == 401:
            if not self._api_key and school_key("anthropicApiKey"):
                return "Claude rejected the school's own Anthropic key (401): check it in its settings"
            return "Claude rejected the API key (401): check ANTHROPIC_API_KEY"
        if status == 403:
            return f"The Anthropic key may not use this model or feature (403: {message})"
        if "credit balance" in message.lower():
            return f"The Anthropic account is out of credit ({status}: {message})"
        if status == 404:
            return (
                f"Claude does not know the model '{self.model}' (404): check TIMETABLER_CLAUDE_MODEL, "
                "or the school's engineSettings.claude.model"
            )
        if status == 413:
            return "The document is too large to send to Claude (413)"
        return f"Claude refused the request ({status}: {message})"

    def _answer(self, response: Any, pages: int, attempts: int) -> LlmAnswer:
        tool_input = next(
            (
                block.input
                for block in response.content
                if getattr(block, "type", None) == "tool_use" and block.name == TOOL_NAME
            ),
            None,
        )
        if not isinstance(tool_input, dict):
            raise EngineUnavailable(
                f"Claude's answer held no timetable (stop reason: {response.stop_reason})."
            )
        u = response.usage
        usage = Usage(
            input_tokens=u.input_tokens or 0,
            output_tokens=u.output_tokens or 0,
            cache_creation_tokens=getattr(u, "cache_creation_input_tokens", None) or 0,
            cache_read_tokens=getattr(u, "cache_read_input_tokens", None) or 0,
        )
        draft = to_draft(tool_input)
        truncated = response.stop_reason == "max_tokens"
        if truncated:
            draft.problems.append("Claude's answer was cut off at its length limit: blocks may be missing")
        draft.stats.update(
            {
                "pages": float(pages),
                "attempts": float(attempts),
                "input_tokens": float(usage.input_tokens),
                "output_tokens": float(usage.output_tokens),
                "cache_creation_tokens": float(usage.cache_creation_tokens),
                "cache_read_tokens": float(usage.cache_read_tokens),
            }
        )
        return LlmAnswer(
            draft=draft,
            input_tokens=usage.prompt_tokens,
            output_tokens=usage.output_tokens,
            cost_usd=cost_usd(response.model or self.model, usage),
            confidence=answer_confidence(draft, truncated),
        )
