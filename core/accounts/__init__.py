"""Account safety: the password policy, sign-in throttling and the sessions a user can see and end."""
