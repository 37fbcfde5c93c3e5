"""Documents as uploaded: how a stored original is served and shown (the API's and the console's)."""
