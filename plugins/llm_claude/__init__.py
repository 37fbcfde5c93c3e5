"""Claude LLM engine (anthropic SDK, structured output) — built with the escalation work (issue 5)."""
