"""Documents: upload (streamed to storage), read, status, delete."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import tempfile
import uuid
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import anyio
import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import State, UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, Parameter

from core.api.errors import ApiError, not_found
from core.api.schemas import DocumentOut, DocumentStatusOut, EarlierUploadOut, PageOut, UploadOut
from core.auth import CurrentUser
from core.db.tables import Document, Job, Timetable, User
from core.documents.media import served_media_type
from core.jobs.queue import enqueue_stage
from core.runtime import Runtime
from core.schools.roles import SCHOOL_MEMBERS, allow, visible
from core.timetables import service as timetables_service
from core.uploads.gate import check_upload_allowed
from core.uploads.inspect import Inspected, inspect_or_refuse

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024
SORTS = {"createdAt": Document.created_at, "filename": Document.filename, "size": Document.size}


class Spooled:
    """An upload copied to a local temporary file, with its hash and size."""

    def __init__(self, path: Path, sha256: str, size: int) -> None:
        self.path, self.sha256, self.size = path, sha256, size


def _spool(source: Any, tmp_dir: Path, limit: int) -> Spooled:
    digest, size = hashlib.sha256(), 0
    tmp_dir.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=tmp_dir, delete=False)
    path = Path(handle.name)
    try:
        with handle:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ApiError(
                        413,
                        "file_too_large",
                        f"The file is larger than {limit // (1024 * 1024)} MB. Upload a smaller file "
                        "(a photo at a lower resolution, or one page of the PDF).",
                    )
                digest.update(chunk)
                handle.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Spooled(path, digest.hexdigest(), size)


def _document_out(doc: Document, job_id: Any = None, timetable_id: Any = None) -> DocumentOut:
    return DocumentOut(
        id=doc.id,
        filename=doc.filename,
        content_type=doc.content_type,
        kind=doc.kind,
        size=doc.size,
        content_hash=doc.content_hash,
        status=doc.status,
        created_at=doc.created_at,
        updated_at=doc.updated_at,
        job_id=job_id,
        timetable_id=timetable_id,
    )


async def _latest_job(user: CurrentUser, document_id: uuid.UUID) -> dict[str, Any] | None:
    return (
        await user.scope.select(Job)
        .where(Job.document_id == document_id)
        .order_by(Job.created_at, ascending=False)
        .first()
    )


class DocumentListedOut(DocumentOut, kw_only=True):
    """A row of the list: the document with its latest job's state, so a history needs no more requests."""

    job_status: str | None = None
    job_stage: str | None = None
    job_error: str | None = None
    job_error_code: str | None = None  # "not_a_timetable" when the file holds no lessons
    uploader_id: uuid.UUID | None = None
    uploader_name: str | None = None  # who uploaded it: admins and reviewers see colleagues' files
    timetable_deleted: bool = False  # its timetable was deleted (POST /timetables/{id}/restore undoes it)


async def _latest_jobs(user: CurrentUser, document_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """Each document's latest job, in one query for the whole page (newest first, first one wins)."""
    if not document_ids:
        return {}
    rows = (
        await user.scope.select(
            Job,
            Job.id,
            Job.document_id,
            Job.status,
            Job.stage,
            Job.error,
            Job.error_code,
            Job.timetable_id,
            Job.created_at,
        )
        .where(Job.document_id.is_in(document_ids))
        .order_by(Job.created_at, ascending=False)
    )
    latest: dict[uuid.UUID, dict[str, Any]] = {}
    for row in rows:
        latest.setdefault(row["document_id"], row)
    return latest


async def _names(user: CurrentUser, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not user_ids:
        return {}
    rows = await user.scope.select(User, User.id, User.name).where(User.id.is_in(list(user_ids)))
    return {row["id"]: row["name"] for row in rows}


async def _deleted_timetables(user: CurrentUser, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    if not ids:
        return set()
    rows = await user.scope.select(Timetable, Timetable.id).where(
        Timetable.id.is_in(ids), Timetable.deleted_at.is_not_null()
    )
    return {row["id"] for row in rows}


def _listed(
    doc: Document, job: dict[str, Any] | None, uploader: str | None, deleted: set[uuid.UUID]
) -> DocumentListedOut:
    base = _document_out(doc, job and job["id"], job and job["timetable_id"])
    who = {"uploader_id": doc.user_id, "uploader_name": uploader}
    if job is None:
        return DocumentListedOut(**msgspec.structs.asdict(base), **who)
    state = {
        "job_status": job["status"],
        "job_stage": job["stage"],
        "job_error": job["error"],
        "job_error_code": job["error_code"],
    }
    gone = job["timetable_id"] is not None and job["timetable_id"] in deleted
    return DocumentListedOut(**msgspec.structs.asdict(base), **state, **who, timetable_deleted=gone)


async def load_document(user: CurrentUser, document_id: uuid.UUID) -> Document:
    query = visible(user.scope.objects(Document), Document, user).where(Document.id == document_id)
    document = await query.first()
    if document is None:
        raise not_found("Document")
    return document


async def insert_document_and_job(
    user: CurrentUser,
    document_id: uuid.UUID,
    job_id: uuid.UUID,
    filename: str,
    inspected: Inspected,
    sha256: str,
    size: int,
    storage_key: str,
) -> None:
    """The rows of a new upload (inside the caller's transaction): its document and its queued job."""
    await user.scope.insert(
        Document,
        id=document_id,
        user_id=user.id,
        filename=filename,
        content_type=inspected.media_type,  # what the bytes are, not the client's claim
        kind=inspected.kind,
        content_hash=sha256,
        size=size,
        storage_key=storage_key,
        status="queued",
    ).save()
    await user.scope.insert(Job, id=job_id, document_id=document_id, user_id=user.id).save()


def duplicate_out(earlier: timetables_service.EarlierUpload | None) -> EarlierUploadOut | None:
    """What an upload's answer says of the same bytes sent before by the same person."""
    if earlier is None:
        return None
    return EarlierUploadOut(
        document_id=earlier.document_id,
        filename=earlier.filename,
        uploaded_at=earlier.uploaded_at,
        timetable_id=earlier.timetable_id,
        message=earlier.message,
    )


def start_job(job_id: uuid.UUID, tenant_id: Any) -> None:
    """Queue a new job's first stage, after its rows are committed."""
    try:
        enqueue_stage("classify", str(job_id), str(tenant_id))
    except Exception:  # the job row stays queued; start-up recovery sends it again
        log.exception("could not enqueue job %s", job_id)


class DocumentController(Controller):
    path = "/documents"
    tags = ["documents"]
    opt = allow(*SCHOOL_MEMBERS)  # people of a school; district and platform admins use /schools

    @post("/upload", operation_id="uploadDocument", status_code=202)
    async def upload(
        self,
        request: Request[CurrentUser, dict, State],
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> UploadOut:
        runtime: Runtime = request.app.state.runtime
        user = request.user
        upload = data.get("file")
        if not isinstance(upload, UploadFile):
            raise ApiError(400, "missing_file", "Send the timetable as a multipart form field named 'file'.")
        filename = Path(upload.filename or "upload").name[:255] or "upload"
        await check_upload_allowed(user.tenant_id, request.app.state.settings)  # 402 over quota
        spooled = await anyio.to_thread.run_sync(
            _spool, upload.file, runtime.settings.data_dir / "tmp", runtime.settings.max_upload_bytes
        )
        try:
            if spooled.size == 0:
                raise ApiError(400, "empty_file", f"'{filename}' is empty. Upload the timetable file again.")
            inspected = await anyio.to_thread.run_sync(
                inspect_or_refuse, runtime.plugins, spooled.path, filename
            )
            document_id, job_id = uuid.uuid4(), uuid.uuid4()
            # A random key with the suffix of what the bytes are: the uploader's name is never a path.
            key = f"tenants/{user.tenant_id}/documents/{document_id}/original{inspected.suffix}"
            await anyio.to_thread.run_sync(self._store, runtime, key, spooled.path)
        finally:
            spooled.path.unlink(missing_ok=True)
        # Before this upload's own row exists: the same bytes this person sent before, if any. The
        # upload is still kept and read (nothing lost; the earlier reading is reused), and the answer
        # says when the first copy came so the app can point to it.
        earlier = await timetables_service.earlier_upload(user, spooled.sha256)
        try:
            async with Document._meta.db.transaction():
                await insert_document_and_job(
                    user, document_id, job_id, filename, inspected, spooled.sha256, spooled.size, key
                )
        except BaseException:
            with contextlib.suppress(Exception):  # nothing half-saved: no file without its rows
                await anyio.to_thread.run_sync(runtime.storage.delete, key)
            raise
        start_job(job_id, user.tenant_id)
        return UploadOut(document_id=document_id, job_id=job_id, duplicate_of=duplicate_out(earlier))

    @staticmethod
    def _store(runtime: Runtime, key: str, path: Path) -> None:
        with path.open("rb") as source:
            runtime.storage.put(key, source)

    @get("/", operation_id="listDocuments")
    async def list_documents(
        self,
        request: Request[CurrentUser, dict, State],
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
        offset: Annotated[int, Parameter(ge=0, le=1_000_000)] = 0,  # bounded: SQLite has 64-bit integers
        status: FromQuery[str | None] = None,
        sort: Annotated[str, Parameter(pattern=r"^-?(createdAt|filename|size)$")] = "-createdAt",
        mine: Annotated[
            bool,
            Parameter(description="Only the signed-in person's own (admins and reviewers see the school's)"),
        ] = False,
    ) -> PageOut[DocumentListedOut]:
        user = request.user
        query = visible(user.scope.objects(Document), Document, user)
        count = visible(user.scope.count(Document), Document, user)
        if status:
            query, count = query.where(Document.status == status), count.where(Document.status == status)
        if mine:
            query, count = query.where(Document.user_id == user.id), count.where(Document.user_id == user.id)
        column = SORTS[sort.lstrip("-")]
        rows = await query.order_by(column, ascending=not sort.startswith("-")).limit(limit).offset(offset)
        latest = await _latest_jobs(user, [d.id for d in rows])
        names = await _names(user, {d.user_id for d in rows})
        timetables = [j["timetable_id"] for j in latest.values() if j["timetable_id"]]
        deleted = await _deleted_timetables(user, timetables)
        items = [_listed(d, latest.get(d.id), names.get(d.user_id), deleted) for d in rows]
        return PageOut(items=items, total=await count, limit=limit, offset=offset)

    @get("/{document_id:uuid}", operation_id="getDocument")
    async def get_document(
        self, request: Request[CurrentUser, dict, State], document_id: FromPath[uuid.UUID]
    ) -> DocumentOut:
        document = await load_document(request.user, document_id)
        job = await _latest_job(request.user, document.id)
        timetable = await timetables_service.live(
            request.user.scope.select(Timetable, Timetable.id).where(Timetable.document_id == document.id)
        ).first()
        return _document_out(document, job and job["id"], timetable and timetable["id"])

    @get("/{document_id:uuid}/status", operation_id="getDocumentStatus")
    async def get_status(
        self, request: Request[CurrentUser, dict, State], document_id: FromPath[uuid.UUID]
    ) -> DocumentStatusOut:
        document = await load_document(request.user, document_id)
        job = await _latest_job(request.user, document.id)
        return DocumentStatusOut(
            document_id=document.id,
            status=document.status,
            job_id=job and job["id"],
            job_status=job and job["status"],
            stage=job and job["stage"],
            error=job and job["error"],
            error_code=job and job["error_code"],
        )

    @get("/{document_id:uuid}/file", operation_id="downloadDocument")
    async def download(
        self, request: Request[CurrentUser, dict, State], document_id: FromPath[uuid.UUID]
    ) -> Response[bytes]:
        """The original upload, as the teacher sent it (shown beside the grid in review)."""
        runtime: Runtime = request.app.state.runtime
        document = await load_document(request.user, document_id)

        def read() -> bytes:
            with runtime.storage.local_path(document.storage_key) as path:
                return path.read_bytes()

        content = await anyio.to_thread.run_sync(read)
        return Response(
            content,
            media_type=served_media_type(document),
            headers={
                # An attachment: a browser saves it rather than render an uploaded HTML/SVG/PDF in our origin.
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document.filename)}",
                "Content-Security-Policy": "default-src 'none'; sandbox",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @delete("/{document_id:uuid}", operation_id="deleteDocument", status_code=204)
    async def delete_document(
        self, request: Request[CurrentUser, dict, State], document_id: FromPath[uuid.UUID]
    ) -> None:
        runtime: Runtime = request.app.state.runtime
        document = await load_document(request.user, document_id)
        await request.user.scope.delete(Document).where(Document.id == document.id)
        await anyio.to_thread.run_sync(runtime.storage.delete, document.storage_key)
