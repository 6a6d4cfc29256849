"""Smartpay's error body: {statusCode, errorCode, message, details}."""
from flask import jsonify


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: list | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or []

    def response(self):
        body = {"statusCode": self.status, "errorCode": self.code, "message": self.message, "details": self.details}
        return jsonify(body), self.status


def not_found(kind: str, object_id: str) -> ApiError:
    return ApiError(404, f"{kind}.not-found", f"No {kind.replace('-', ' ')} with id {object_id} in this account")


def invalid(details: list[str]) -> ApiError:
    return ApiError(400, "request.invalid", "The request is invalid: " + "; ".join(details), details)
