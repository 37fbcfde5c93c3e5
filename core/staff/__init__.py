"""A school's people (service.py): invites, roles, removal. Above schools, notifications and privacy,
whose services it calls."""
