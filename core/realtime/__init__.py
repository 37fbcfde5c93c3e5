"""Live job progress over a WebSocket at ``/ws`` (Litestar channels; see README.md for the protocol)."""
