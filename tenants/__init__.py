"""Schools, districts, users and roles, per-school settings, scoping and billing.

The spine keeps schools (tenants) and users in core/db/tables.py; districts, invitations, per-school
settings and billing arrive with the tenancy work (issue 4).
"""
