"""Recording request metrics: the middleware counts and times requests, the controller serves them at ``/metrics``."""

from __future__ import annotations

from outpour import Outpour, get
from outpour.plugins.prometheus import PrometheusConfig, PrometheusController


@get("/users/{user_id:int}", sync_to_thread=False)
def get_user(user_id: int) -> dict[str, int]:
    return {"id": user_id}


def create_app(group_path: bool = True) -> Outpour:
    # The metrics are named `litestar_...` and labelled `app_name="litestar"` unless `prefix` and `app_name` say
    # otherwise. With `group_path`, `/users/1` and `/users/2` are both recorded as `/users/{user_id:int}`.
    prometheus_config = PrometheusConfig(group_path=group_path)
    # `PrometheusController` serves the metrics in Prometheus' text format at `/metrics`.
    return Outpour(route_handlers=[get_user, PrometheusController], middleware=[prometheus_config.middleware])


app = create_app()
