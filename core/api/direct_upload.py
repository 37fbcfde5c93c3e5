"""Routes: ask for an upload URL, then register the finished upload (checked, then queued)."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import uuid
from pathlib import Path

import anyio
from litestar import Controller, Request, post
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody

from core.accounts.schemas import ErrorOut
from core.api.documents import duplicate_out, insert_document_and_job, start_job
from core.api.errors import ApiError, not_found
from core.api.schemas import UploadOut
from core.auth import CurrentUser
from core.db.tables import Document
from core.direct_upload import service
from core.direct_upload.schemas import CompleteIn, DirectUploadIn, DirectUploadOut, PartUrl
from core.direct_upload.tables import DirectUpload
from core.runtime import Runtime
from core.schools.roles import SCHOOL_MEMBERS, allow
from core.timetables import service as timetables_service
from core.uploads.gate import check_upload_allowed

log = logging.getLogger(__name__)
BASE = "/api/v1/documents/direct-uploads"


def _error(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=ErrorOut, description=description)


CREATE_ERRORS = {
    402: _error("The school's plan allows no more uploads now."),
    409: _error("Storage is a local folder: use POST /api/v1/documents/upload."),
    413: _error("The announced size is over the limit."),
}
COMPLETE_ERRORS = {
    409: _error("Storage is a local folder, or the file has not been uploaded yet."),
    413: _error("The file is larger inside than we read (pixels, pages); it was deleted."),
    415: _error("Not a timetable document we read; it was deleted."),
    422: _error("A damaged or unsafe file; it was deleted."),
}


class DirectUploadController(Controller):
    path = "/documents/direct-uploads"
    tags = ["documents"]
    opt = allow(*SCHOOL_MEMBERS)

    @post("/", operation_id="createDirectUpload", status_code=201, responses=CREATE_ERRORS)
    async def create(
        self, request: Request[CurrentUser, dict, State], data: JSONBody[DirectUploadIn]
    ) -> DirectUploadOut:
        """Presigned S3 URLs for a large file; only when storage is S3 (else 409: stream it instead)."""
        runtime: Runtime = request.app.state.runtime
        settings = runtime.settings
        user = request.user
        storage = service.s3_storage(runtime)
        filename = Path(data.filename).name[:255] or "upload"
        service.check_declared_size(settings, data.size, filename)
        await check_upload_allowed(user.tenant_id, request.app.state.settings)  # 402 over quota
        await service.expire_pending(runtime, user.tenant_id)  # tidy this school's abandoned ones
        upload_id = uuid.uuid4()
        key = service.pending_key(user.tenant_id, upload_id)
        seconds = settings.direct_upload_url_minutes * 60
        plan = service.part_plan(settings, data.size)
        url, parts, multipart_id = None, None, None
        if plan is None:
            url = await anyio.to_thread.run_sync(storage.presign_put, key, seconds)
        else:
            multipart_id = await anyio.to_thread.run_sync(storage.start_multipart, key)

            def presign_parts() -> list[PartUrl]:
                return [
                    PartUrl(part_number=n, url=storage.presign_part(key, multipart_id, n, seconds))
                    for n in range(1, plan[1] + 1)
                ]

            parts = await anyio.to_thread.run_sync(presign_parts)
        now = dt.datetime.now(dt.UTC)
        await user.scope.insert(
            DirectUpload,
            id=upload_id,
            user_id=user.id,
            filename=filename,
            size=data.size,
            storage_key=key,
            multipart_id=multipart_id,
            expires_at=now + dt.timedelta(hours=settings.direct_upload_expiry_hours),
        ).save()
        return DirectUploadOut(
            id=upload_id,
            method="PUT",
            url=url,
            parts=parts,
            part_size=plan[0] if plan else None,
            expires_at=now + dt.timedelta(seconds=seconds),
            complete_url=f"{BASE}/{upload_id}/complete",
        )

    @post(
        "/{upload_id:uuid}/complete",
        operation_id="completeDirectUpload",
        status_code=202,
        responses=COMPLETE_ERRORS,
    )
    async def complete(
        self,
        request: Request[CurrentUser, dict, State],
        upload_id: FromPath[uuid.UUID],
        data: JSONBody[CompleteIn | None] = None,
    ) -> UploadOut:
        """Check the uploaded object like a streamed upload; refused objects are deleted."""
        runtime: Runtime = request.app.state.runtime
        user = request.user
        storage = service.s3_storage(runtime)
        upload = await (
            user.scope.objects(DirectUpload)
            .where(DirectUpload.id == upload_id, DirectUpload.user_id == user.id)
            .first()
        )
        if upload is None:
            raise not_found("Direct upload")
        if upload.status == "completed":  # a client retrying after a lost answer gets the same job
            return UploadOut(document_id=upload.document_id, job_id=upload.job_id)
        # One completion at a time: two racing requests must not make two documents of one upload.
        claimed = await (
            user.scope.update(DirectUpload, {DirectUpload.status: "checking"})
            .where(DirectUpload.id == upload.id, DirectUpload.status == "pending")
            .returning(DirectUpload.id)
        )
        if not claimed:
            raise ApiError(
                409,
                "upload_in_progress",
                "This upload is being checked right now. Complete it again in a few seconds to get its job.",
            )
        try:
            return await self._check_and_register(runtime, user, storage, upload, data)
        finally:  # not registered and not refused (deleted): it may be completed again
            await user.scope.update(DirectUpload, {DirectUpload.status: "pending"}).where(
                DirectUpload.id == upload.id, DirectUpload.status == "checking"
            )

    async def _check_and_register(
        self,
        runtime: Runtime,
        user: CurrentUser,
        storage: service.S3Storage,
        upload: DirectUpload,
        data: CompleteIn | None,
    ) -> UploadOut:
        size = await anyio.to_thread.run_sync(storage.size, upload.storage_key)
        if upload.multipart_id and size is None:  # parts not yet joined (a retry finds the object)
            await self._finish_multipart(storage, upload, data)
            size = await anyio.to_thread.run_sync(storage.size, upload.storage_key)
        if size is None:
            raise ApiError(
                409,
                "upload_not_found",
                "The file has not reached storage yet. PUT it to the upload URL, then complete again.",
            )
        if size != upload.size:
            await self._refuse(storage, upload)
            raise ApiError(
                400,
                "size_mismatch",
                f"The stored file has {size} bytes, not the {upload.size} announced. "
                "Ask for a new upload URL with the file's exact size and upload it again.",
            )
        try:
            checked = await anyio.to_thread.run_sync(service.inspect_object, runtime, storage, upload)
        except ApiError:
            await self._refuse(storage, upload)
            raise
        return await self._register(runtime, user, upload, checked)

    @staticmethod
    async def _finish_multipart(
        storage: service.S3Storage, upload: DirectUpload, data: CompleteIn | None
    ) -> None:
        if not data or not data.parts:
            raise ApiError(
                400,
                "missing_parts",
                'Send the parts you uploaded: {"parts": [{"partNumber": 1, "etag": "..."}, ...]}.',
            )
        parts = sorted((p.part_number, p.etag) for p in data.parts)
        try:
            await anyio.to_thread.run_sync(
                storage.complete_multipart, upload.storage_key, upload.multipart_id, parts
            )
        except Exception as exc:
            log.info("multipart completion refused for %s: %s", upload.id, exc)
            raise ApiError(
                400,
                "invalid_parts",
                "Storage did not accept those parts. Upload every part to its URL and send each "
                "part's number with the ETag its upload answered.",
            ) from exc

    @staticmethod
    async def _refuse(storage: service.S3Storage, upload: DirectUpload) -> None:
        """Nothing refused stays: the object goes, and so does the pending row."""
        await anyio.to_thread.run_sync(service.discard, storage, upload)
        await DirectUpload.delete().where(
            DirectUpload.id == upload.id, DirectUpload.tenant_id == upload.tenant_id
        )

    @staticmethod
    async def _register(
        runtime: Runtime, user: CurrentUser, upload: DirectUpload, checked: service.Checked
    ) -> UploadOut:
        document_id, job_id = uuid.uuid4(), uuid.uuid4()
        key = f"tenants/{user.tenant_id}/documents/{document_id}/original{checked.inspected.suffix}"
        await anyio.to_thread.run_sync(runtime.storage.copy, upload.storage_key, key)  # type: ignore[attr-defined]
        earlier = await timetables_service.earlier_upload(user, checked.sha256)  # before its own row
        try:
            async with Document._meta.db.transaction():
                await insert_document_and_job(
                    user,
                    document_id,
                    job_id,
                    upload.filename,
                    checked.inspected,
                    checked.sha256,
                    upload.size,
                    key,
                )
                await user.scope.update(
                    DirectUpload,
                    {
                        DirectUpload.status: "completed",
                        DirectUpload.document_id: document_id,
                        DirectUpload.job_id: job_id,
                    },
                ).where(DirectUpload.id == upload.id)
        except BaseException:
            with contextlib.suppress(Exception):  # no document file without its rows
                await anyio.to_thread.run_sync(runtime.storage.delete, key)
            raise
        with contextlib.suppress(Exception):  # the pending copy is no longer needed
            await anyio.to_thread.run_sync(runtime.storage.delete, upload.storage_key)
        start_job(job_id, user.tenant_id)  # after the commit
        return UploadOut(document_id=document_id, job_id=job_id, duplicate_of=duplicate_out(earlier))
