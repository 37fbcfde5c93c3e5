"""The worker's composition root: what `dramatiq core.worker` loads in each worker process.

The pipeline's actors (core/jobs/actors.py) and billing (tenants/billing: its usage-report actor,
and Stripe told of each billed job) are put together here, as core/app.py does for the web process,
so the pipeline itself never imports billing.
"""

from core.jobs import actors  # noqa: F401  (declares the stage actors on the broker)
from core.jobs.broker import broker
from core.jobs.scale import add_scale_middleware
from core.settings import get_settings
from tenants import billing

billing.install()
add_scale_middleware(broker, get_settings())
