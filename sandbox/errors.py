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


def from_http(error) -> ApiError:
    """A werkzeug refusal (no route, wrong method, body too large) in the API's own shape."""
    if error.code == 413:  # werkzeug's wording does not say what the limit is
        return ApiError(413, "request.too-large", "The request body is larger than the 1 MB limit",
                        ["body must be at most 1 MB"])
    codes = {404: "resource.not-found", 405: "request.method-not-allowed"}
    return ApiError(error.code, codes.get(error.code, "request.invalid"), error.description)
