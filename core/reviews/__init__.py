"""Human review: a school's documents a person must check, and the correction that completes them."""
