"""Deleting everything stored under a prefix (a school's folder), on disk or in S3."""

from __future__ import annotations

import shutil

from core.storage import LocalStorage, S3Storage, Storage


def delete_prefix(storage: Storage, prefix: str) -> int:
    """Remove every object whose key starts with ``prefix``; returns how many went."""
    if isinstance(storage, LocalStorage):
        folder = storage._path(prefix)
        count = sum(1 for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0
        shutil.rmtree(folder, ignore_errors=True)
        return count
    if isinstance(storage, S3Storage):
        count = 0
        for page in storage.client.get_paginator("list_objects_v2").paginate(
            Bucket=storage.bucket, Prefix=prefix
        ):
            keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
            if keys:
                storage.client.delete_objects(Bucket=storage.bucket, Delete={"Objects": keys})
                count += len(keys)
        return count
    return 0  # another storage: the documents' own keys were deleted one by one
