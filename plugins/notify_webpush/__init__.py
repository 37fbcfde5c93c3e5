"""Web Push notifier: VAPID-signed, RFC 8291 encrypted pushes to each browser a person subscribed."""
