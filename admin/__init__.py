"""The admin console at /admin/: server-rendered Jinja2 pages that work without JavaScript.

Schools, districts and their settings, the what-if simulator, usage and cost, plugins and the audit
log, plus the invite page at /invite/{token}. ``admin.router.admin_router`` holds every route and
the roles each allows; ``admin.session`` signs people in with a cookie and checks CSRF tokens.
"""
