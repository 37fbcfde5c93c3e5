"""Dead letters for platform admins: what the broker gave up on and which jobs failed, with requeue.

| route | roles |
| --- | --- |
| GET /admin/dead-letters | platform admin |
| POST /admin/dead-letters/requeue | platform admin |
"""

from __future__ import annotations

from litestar import Response, get, post

from admin.render import page, see_other
from admin.session import ConsoleRequest, checked_form, console
from core.jobs.broker import broker
from core.jobs.dead_letters import failed_jobs, list_dead_letters, requeue_dead_letter, requeue_job
from core.schools.roles import PLATFORM_ADMIN

NOTICES = {
    "requeued": "Sent again. The job is queued and resumes at the step that failed.",
    "gone": "That message or job is no longer there (already sent again, or deleted).",
}


@get("/admin/dead-letters", operation_id="consoleDeadLetters", opt=console(PLATFORM_ADMIN))
async def dead_letters_page(request: ConsoleRequest) -> Response:
    done = request.query_params.get("done", "")
    return page(
        request,
        "dead_letters.html",
        letters=list_dead_letters(broker),
        jobs=await failed_jobs(),
        notice=NOTICES.get(done),
    )


@post("/admin/dead-letters/requeue", operation_id="consoleRequeueDeadLetter", opt=console(PLATFORM_ADMIN))
async def requeue(request: ConsoleRequest) -> Response:
    form = await checked_form(request)
    if form.get("messageId"):
        sent = await requeue_dead_letter(broker, form.get("queue", ""), form["messageId"])
    else:
        sent = await requeue_job(form.get("jobId", ""))
    return see_other(f"/admin/dead-letters?done={'requeued' if sent else 'gone'}")
