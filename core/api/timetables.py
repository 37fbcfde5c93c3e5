"""Timetables and their timeblocks: create, list, read, rename, delete and restore, the current one."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, JSONBody, Parameter, QueryParameter

from core.api.errors import not_found
from core.api.schemas import (
    ChooseCurrentIn,
    PageOut,
    TimeblockOut,
    TimeblockPatch,
    TimetableIn,
    TimetableOut,
    TimetablePatch,
)
from core.auth import CurrentUser
from core.db.fresh import FreshCache, request_version
from core.db.tables import Timeblock, Timetable
from core.jobs.pipeline import now
from core.schools.roles import SCHOOL_MEMBERS, allow, visible
from core.timetables import service
from core.timetables.blocks import TimeblockIn, block_values, lesson_order, normalise_day
from core.timetables.rotating import rotation_columns, rotation_of
from core.timetables.rotation import cycle_day_label, make_rotation

SORTS = {
    "createdAt": Timetable.created_at,
    "updatedAt": Timetable.updated_at,
    "name": Timetable.name,
    "teacher": Timetable.teacher,
}
User = Request[CurrentUser, dict, State]
Uuid = FromPath[uuid.UUID]


BLOCK_FIELDS = tuple(TimeblockOut.__struct_fields__)
# The hottest read, kept until the database changes (core/db/fresh.py): any write to the timetable,
# its lessons, its job or its owner's other timetables is seen by the next read.
_reads: FreshCache[TimetableOut] = FreshCache(max_entries=2_000)


def block_out(row: dict[str, Any]) -> TimeblockOut:
    return TimeblockOut(**{name: row[name] for name in BLOCK_FIELDS})


async def blocks_of(user: CurrentUser, timetable_id: uuid.UUID, day: str | None = None) -> list[TimeblockOut]:
    # Plain rows, not Table objects: this is the hottest read and objects cost more than the query.
    columns = [getattr(Timeblock, name) for name in BLOCK_FIELDS]
    query = user.scope.select(Timeblock, *columns).where(Timeblock.timetable_id == timetable_id)
    if day:
        query = query.where(Timeblock.day == (normalise_day(day) or cycle_day_label(day) or day))
    return [block_out(b) for b in sorted(await query, key=lesson_order)]


def timetable_out(
    row: Timetable, blocks: list[TimeblockOut] | None = None, current: uuid.UUID | None = None
) -> TimetableOut:
    rotation = rotation_of(row)
    return TimetableOut(
        id=row.id,
        name=row.name,
        teacher=row.teacher,
        class_name=row.class_name,
        term=row.term,
        year=row.year,
        document_id=row.document_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        timeblocks=blocks,
        is_current=current is not None and row.id == current,
        rotation=rotation.kind,
        weeks=list(rotation.weeks) or None,
        cycle_days=list(rotation.cycle_days) or None,
    )


async def load_timetable(user: CurrentUser, timetable_id: uuid.UUID) -> Timetable:
    """A timetable the user may see and that is not deleted (404 otherwise)."""
    return await service.load(user, timetable_id)


async def full_timetable(user: CurrentUser, row: Timetable) -> TimetableOut:
    """The timetable with its lessons, saying whether it is its owner's current one."""
    current = await service.current_id(user.scope, row.user_id)
    return timetable_out(row, await blocks_of(user, row.id), current)


async def load_block(user: CurrentUser, block_id: uuid.UUID) -> Timeblock:
    block = await user.scope.get(Timeblock, block_id)
    if block is None:
        raise not_found("Timeblock")
    await load_timetable(user, block.timetable_id)  # the block is visible only with its timetable
    return block


async def touch(user: CurrentUser, timetable_id: uuid.UUID) -> None:
    await user.scope.update(Timetable, {Timetable.updated_at: now()}).where(Timetable.id == timetable_id)


class TimetableController(Controller):
    path = "/timetables"
    tags = ["timetables"]
    opt = allow(*SCHOOL_MEMBERS)  # people of a school; district and platform admins use /schools

    @post("/", operation_id="createTimetable", status_code=201)
    async def create(self, request: User, data: JSONBody[TimetableIn]) -> TimetableOut:
        user = request.user
        rotation = make_rotation(data.rotation, data.weeks, data.cycle_days)
        values = [block_values(b, rotation) for b in data.timeblocks]
        timetable = user.scope.insert(
            Timetable,
            user_id=user.id,
            name=data.name.strip()[:200],
            teacher=data.teacher,
            class_name=data.class_name,
            term=data.term,
            year=data.year,
            **rotation_columns(rotation),
        )
        async with Timetable._meta.db.transaction():
            await timetable.save()
            if values:
                await Timeblock.insert(
                    *[user.scope.insert(Timeblock, timetable_id=timetable.id, **v) for v in values]
                )
        return await full_timetable(user, timetable)

    @get("/", operation_id="listTimetables")
    async def list_timetables(
        self,
        request: User,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
        offset: Annotated[int, Parameter(ge=0, le=1_000_000)] = 0,  # bounded: SQLite has 64-bit integers
        q: Annotated[str | None, Parameter(description="Text in the name, teacher or class")] = None,
        document_id: Annotated[uuid.UUID | None, QueryParameter(name="documentId")] = None,
        sort: Annotated[str, Parameter(pattern=r"^-?(createdAt|updatedAt|name|teacher)$")] = "-createdAt",
        mine: Annotated[
            bool,
            Parameter(description="Only the signed-in person's own (admins and reviewers see the school's)"),
        ] = False,
    ) -> PageOut[TimetableOut]:
        user = request.user
        query = service.live(visible(user.scope.objects(Timetable), Timetable, user))
        count = service.live(visible(user.scope.count(Timetable), Timetable, user))
        filters = []
        if mine:
            filters.append(Timetable.user_id == user.id)
        if q:
            pattern = f"%{q}%"
            filters.append(
                Timetable.name.ilike(pattern)
                | Timetable.teacher.ilike(pattern)
                | Timetable.class_name.ilike(pattern)
            )
        if document_id:
            filters.append(Timetable.document_id == document_id)
        for condition in filters:
            query, count = query.where(condition), count.where(condition)
        column = SORTS[sort.lstrip("-")]
        rows = await query.order_by(column, ascending=not sort.startswith("-")).limit(limit).offset(offset)
        current = await service.current_id(user.scope, user.id)
        items = [timetable_out(r, current=current) for r in rows]
        return PageOut(items=items, total=await count, limit=limit, offset=offset)

    @get("/current", operation_id="getCurrentTimetable")
    async def get_current(self, request: User) -> TimetableOut:
        """The signed-in person's own current timetable, with its lessons (404 when they have none)."""
        return await full_timetable(request.user, await service.current(request.user))

    @put("/current", operation_id="chooseCurrentTimetable")
    async def choose_current(self, request: User, data: JSONBody[ChooseCurrentIn]) -> TimetableOut:
        """Make one of one's own finished timetables the current one (until the next upload finishes)."""
        return await full_timetable(request.user, await service.choose(request.user, data.timetable_id))

    @get("/{timetable_id:uuid}", operation_id="getTimetable")
    async def get_timetable(self, request: User, timetable_id: Uuid) -> TimetableOut:
        user = request.user
        key = (user.id, user.tenant_id, user.role, timetable_id)  # what this person may see of it
        version = await request_version()  # before reading: a write meanwhile makes it stale
        answer = _reads.get(key, version)
        if answer is None:
            answer = await full_timetable(user, await load_timetable(user, timetable_id))
            _reads.put(key, version, answer)
        return answer

    @put("/{timetable_id:uuid}", operation_id="updateTimetable")
    async def update_timetable(
        self, request: User, timetable_id: Uuid, data: JSONBody[TimetablePatch]
    ) -> TimetableOut:
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        return await full_timetable(request.user, await service.update(request.user, timetable_id, changes))

    @patch("/{timetable_id:uuid}", operation_id="renameTimetable")
    async def patch_timetable(
        self, request: User, timetable_id: Uuid, data: JSONBody[TimetablePatch]
    ) -> TimetableOut:
        """Rename (``{"name"}``) or change only the fields sent; a blank name is refused."""
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        return await full_timetable(request.user, await service.update(request.user, timetable_id, changes))

    @delete("/{timetable_id:uuid}", operation_id="deleteTimetable", status_code=204)
    async def delete_timetable(self, request: User, timetable_id: Uuid) -> None:
        """Deleted for everyone; ``POST .../restore`` brings it back for 30 days."""
        await service.delete(request.user, timetable_id)

    @post("/{timetable_id:uuid}/restore", operation_id="restoreTimetable", status_code=200)
    async def restore_timetable(self, request: User, timetable_id: Uuid) -> TimetableOut:
        """Undo a delete: the timetable and its lessons come back as they were."""
        return await full_timetable(request.user, await service.restore(request.user, timetable_id))

    @get("/{timetable_id:uuid}/timeblocks", operation_id="listTimeblocks")
    async def list_blocks(
        self, request: User, timetable_id: Uuid, day: FromQuery[str | None] = None
    ) -> list[TimeblockOut]:
        row = await load_timetable(request.user, timetable_id)
        return await blocks_of(request.user, row.id, day)

    @post("/{timetable_id:uuid}/timeblocks", operation_id="createTimeblock", status_code=201)
    async def create_block(
        self, request: User, timetable_id: Uuid, data: JSONBody[TimeblockIn]
    ) -> TimeblockOut:
        user = request.user
        row = await load_timetable(user, timetable_id)
        block = user.scope.insert(Timeblock, timetable_id=row.id, **block_values(data, rotation_of(row)))
        await block.save()
        await touch(user, row.id)
        return block_out(block.to_dict())


class TimeblockController(Controller):
    path = "/timeblocks"
    tags = ["timetables"]
    opt = allow(*SCHOOL_MEMBERS)  # people of a school; district and platform admins use /schools

    @put("/{block_id:uuid}", operation_id="updateTimeblock")
    async def update_block(
        self, request: User, block_id: Uuid, data: JSONBody[TimeblockPatch]
    ) -> TimeblockOut:
        user = request.user
        block = await load_block(user, block_id)
        current = TimeblockIn(
            name=block.name,
            day=block.day,
            start_time=block.start_time,
            end_time=block.end_time,
            notes=block.notes,
            color=block.color,
            week=block.week,
        )
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        merged = msgspec.structs.replace(current, **changes)
        values = block_values(merged, rotation_of(await load_timetable(user, block.timetable_id)))
        await user.scope.update(Timeblock, {getattr(Timeblock, k): v for k, v in values.items()}).where(
            Timeblock.id == block.id
        )
        await touch(user, block.timetable_id)
        return block_out((await load_block(user, block_id)).to_dict())

    @delete("/{block_id:uuid}", operation_id="deleteTimeblock", status_code=204)
    async def delete_block(self, request: User, block_id: Uuid) -> None:
        block = await load_block(request.user, block_id)
        await request.user.scope.delete(Timeblock).where(Timeblock.id == block.id)
        await touch(request.user, block.timetable_id)
