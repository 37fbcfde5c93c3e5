"""A timetable's rotation, stored and changed: how its lessons move when a teacher says their
timetable is two-week, or names its cycle's days differently.

Changing the rotation never loses a lesson. Lessons of a weekly timetable made two-week go into its
first week; renamed weeks or cycle days carry their lessons with them by position; a change that
would leave a lesson with nowhere to be (both weeks folded into one, weekdays into cycle days) is
refused, saying what to do first.
"""

from __future__ import annotations

from typing import Any

from core.auth import CurrentUser
from core.db.tables import Timeblock, Timetable, json_list
from core.errors import DomainError
from core.timetables.blocks import TimeblockIn, block_values
from core.timetables.rotation import Rotation, make_rotation, stored

ROTATION_FIELDS = ("rotation", "weeks", "cycle_days")


def rotation_of(row: Timetable | dict[str, Any]) -> Rotation:
    values = row if isinstance(row, dict) else row.to_dict()
    return stored(values.get("rotation"), json_list(values.get("rotation_labels")))


def rotation_columns(rotation: Rotation) -> dict[str, Any]:
    return {"rotation": rotation.kind, "rotation_labels": list(rotation.labels)}


def requested(current: Rotation, changes: dict[str, Any]) -> Rotation:
    """The rotation asked for: the kind sent (or kept) with the labels sent (or kept, if the kind is)."""
    kind = changes.get("rotation") or current.kind
    same = kind == current.kind
    weeks = changes.get("weeks") or (current.weeks if same else None)
    cycle_days = changes.get("cycle_days") or (current.cycle_days if same else None)
    return make_rotation(kind, weeks, cycle_days)


def _refused(message: str) -> DomainError:
    return DomainError(409, "rotation_conflict", message)


def moved(block: dict[str, Any], old: Rotation, new: Rotation) -> TimeblockIn:
    """One lesson as it is under the new rotation (not yet checked)."""
    week = block.get("week")
    if new.kind == "two_week":
        week = (
            new.weeks[old.weeks.index(week)] if old.kind == "two_week" and week in old.weeks else new.weeks[0]
        )
    else:
        week = None
    day = block["day"]
    if new.kind == "cycle":
        if day not in old.cycle_days or old.cycle_days.index(day) >= len(new.cycle_days):
            raise _refused(
                f"A lesson is on {day}, which the new cycle does not have. Move or delete it first."
            )
        day = new.cycle_days[old.cycle_days.index(day)]
    return TimeblockIn(
        name=block["name"],
        day=day,
        start_time=block["start_time"],
        end_time=block["end_time"],
        notes=block.get("notes"),
        color=block.get("color"),
        week=week,
    )


async def change_rotation(user: CurrentUser, row: Timetable, changes: dict[str, Any]) -> None:
    """Set the timetable's rotation from `changes` (rotation, weeks, cycle_days) and move its lessons."""
    old = rotation_of(row)
    new = requested(old, changes)
    if new == old:
        return
    blocks = await user.scope.select(Timeblock).where(Timeblock.timetable_id == row.id)
    if blocks and (old.kind == "cycle") != (new.kind == "cycle"):
        has, wants = ("cycle days", "weekdays") if old.kind == "cycle" else ("weekdays", "cycle days")
        raise _refused(
            f"This timetable's lessons are on {has}, and the new rotation has {wants}. "
            "Delete the lessons or make a new timetable for the new rotation."
        )
    if old.kind == "two_week" and new.kind != "two_week" and len({b["week"] for b in blocks}) > 1:
        raise _refused(
            "This timetable has lessons in both weeks; as a weekly timetable they would fall on top of "
            "each other. Delete one week's lessons first, or keep it two-week."
        )
    values = [(b["id"], block_values(moved(b, old, new), new)) for b in blocks]
    async with Timetable._meta.db.transaction():
        await user.scope.update(
            Timetable, {getattr(Timetable, k): v for k, v in rotation_columns(new).items()}
        ).where(Timetable.id == row.id)
        for block_id, value in values:
            await user.scope.update(
                Timeblock, {Timeblock.day: value["day"], Timeblock.week: value["week"]}
            ).where(Timeblock.id == block_id)
