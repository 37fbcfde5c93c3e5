"""Schools and districts: who belongs where with which role, each school's settings, its staff and
invitations, its vocabulary and its engine credentials. Billing builds on this from tenants/."""
