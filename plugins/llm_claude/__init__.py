"""Claude LLM engine: page images and a rules prompt to the Messages API, a tool's JSON schema for
the answer, retries on 429 and 5xx, answers cached by document hash."""
