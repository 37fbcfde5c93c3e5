"""A plugin with its own table: platform-wide notes (not tenant-owned, so no row security)."""
