"""Emitting events from handlers: listeners send mail and open tickets after the response has gone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from outpour import Outpour, Request, post
from outpour.events import listener

outbox: list[str] = []
"""Stands in for a mail server and a ticket system: what the listeners "sent"."""


@listener("user_created")
async def send_welcome_email(email: str, **kwargs: Any) -> None:
    outbox.append(f"mail to {email}: welcome!")


@listener("user_deleted")
def send_farewell_email(email: str, **kwargs: Any) -> None:  # a sync listener runs in a worker thread
    outbox.append(f"mail to {email}: goodbye")


@listener("user_deleted")
async def notify_customer_support(reason: str, **kwargs: Any) -> None:
    outbox.append(f"ticket: account closed ({reason})")


@listener("user_created", "user_deleted")
async def audit(email: str, **kwargs: Any) -> None:
    outbox.append(f"audit: {email}")


@dataclass
class NewUser:
    email: str
    name: str


@dataclass
class DeletedUser:
    email: str
    reason: str


@post("/users")
async def create_user(data: NewUser, request: Request[Any, Any, Any]) -> str:
    # ... insert the user into the database, then let the listeners do the rest without waiting for them
    request.app.emit("user_created", email=data.email, name=data.name)
    return f"created {data.name}"


@post("/users/delete", status_code=200)
async def delete_user(data: DeletedUser, request: Request[Any, Any, Any]) -> str:
    request.app.emit("user_deleted", email=data.email, reason=data.reason)
    return f"deleted {data.email}"


app = Outpour(
    [create_user, delete_user],
    listeners=[send_welcome_email, send_farewell_email, notify_customer_support, audit],
)
