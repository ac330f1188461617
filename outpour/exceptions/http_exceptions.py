"""The HTTP exceptions, at Litestar's module path; the same classes as ``outpour.exceptions``."""

from __future__ import annotations

from outpour.exceptions import (
    ClientException,
    HTTPException,
    ImproperlyConfiguredException,
    InternalServerException,
    InvalidHeaderException,
    MethodNotAllowedException,
    NoRouteMatchFoundException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    RequestEntityTooLarge,
    ServiceUnavailableException,
    TemplateNotFoundException,
    TooManyRequestsException,
    UnsupportedMediaTypeException,
    ValidationException,
)

__all__ = [
    "ClientException",
    "HTTPException",
    "ImproperlyConfiguredException",
    "InternalServerException",
    "InvalidHeaderException",
    "MethodNotAllowedException",
    "NoRouteMatchFoundException",
    "NotAuthorizedException",
    "NotFoundException",
    "PermissionDeniedException",
    "RequestEntityTooLarge",
    "ServiceUnavailableException",
    "TemplateNotFoundException",
    "TooManyRequestsException",
    "UnsupportedMediaTypeException",
    "ValidationException",
]
