"""Large uploads straight to S3: presigned URLs out, the finished object checked before it is queued."""
