"""Turn every error into structured JSON with a Russian message."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from servicedesk.core.errors import DomainError

_MESSAGES: dict[str, str] = {
    "missing": "Обязательное поле",
    "extra_forbidden": "Неизвестное поле",
    "string_type": "Ожидается строка",
    "string_too_short": "Не короче {min_length} символов",
    "string_too_long": "Не длиннее {max_length} символов",
    "string_pattern_mismatch": "Неверный формат",
    "int_type": "Ожидается целое число",
    "int_parsing": "Ожидается целое число",
    "int_from_float": "Ожидается целое число",
    "float_type": "Ожидается число",
    "float_parsing": "Ожидается число",
    "decimal_parsing": "Ожидается число",
    "bool_type": "Ожидается true или false",
    "bool_parsing": "Ожидается true или false",
    "datetime_type": "Ожидается дата и время ISO 8601",
    "datetime_parsing": "Ожидается дата и время ISO 8601, например 2026-01-12T10:00:00+03:00",
    "datetime_from_date_parsing": "Ожидается дата и время ISO 8601",
    "date_parsing": "Ожидается дата в формате ГГГГ-ММ-ДД",
    "date_from_datetime_parsing": "Ожидается дата в формате ГГГГ-ММ-ДД",
    "greater_than_equal": "Не меньше {ge}",
    "greater_than": "Больше {gt}",
    "less_than_equal": "Не больше {le}",
    "less_than": "Меньше {lt}",
    "literal_error": "Допустимые значения: {expected}",
    "enum": "Допустимые значения: {expected}",
    "json_invalid": "Некорректный JSON",
    "json_type": "Некорректный JSON",
    "model_type": "Ожидается объект",
    "model_attributes_type": "Ожидается объект",
    "dict_type": "Ожидается объект",
    "list_type": "Ожидается список",
    "too_long": "Не больше {max_length} элементов",
    "too_short": "Не меньше {min_length} элементов",
    "value_error": "{error}",
    "email_parsing": "Неверный адрес e-mail",
    "value_error.email": "Неверный адрес e-mail",
    "uuid_parsing": "Ожидается UUID",
}


def russian_message(error: dict[str, Any]) -> str:
    """Return the Russian text for one pydantic error."""
    template = _MESSAGES.get(str(error.get("type", "")))
    if template is None:
        return str(error.get("msg", "Неверное значение"))
    context = dict(error.get("ctx") or {})
    if "error" in context:
        context["error"] = str(context["error"]).removeprefix("Value error, ")
    if "expected" in context:
        context["expected"] = str(context["expected"]).replace(" or ", " или ")
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template.split("{")[0].strip() or str(error.get("msg"))


def _body(code: str, message: str, detail: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, "detail": detail, **extra}


def install_error_handlers(api: NinjaAPI) -> None:
    """Register handlers so that every failure answers JSON the schema describes."""

    @api.exception_handler(ValidationError)
    def validation_failed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        detail = [
            {
                "loc": list(error.get("loc", ())),
                "msg": russian_message(error),
                "type": error.get("type", "invalid"),
            }
            for error in exc.errors
        ]
        return api.create_response(
            request, _body("invalid", "Проверьте введённые данные", detail), status=422
        )

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        loc = ["body", exc.field] if exc.field else []
        detail = [{"loc": loc, "msg": exc.message, "type": exc.code}]
        return api.create_response(
            request, _body(exc.code, exc.message, detail, **exc.extra), status=exc.status_code
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = "Нужна авторизация: заголовок Authorization: Bearer <токен> или вход в систему"
        return api.create_response(
            request,
            _body("unauthorized", message, [{"loc": [], "msg": message, "type": "unauthorized"}]),
            status=401,
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:  # ninja: the body is not JSON (or not UTF-8)
            message = "Некорректный JSON в теле запроса (или в нём символ NUL)"
            detail = [{"loc": ["body"], "msg": message, "type": "json_invalid"}]
            return api.create_response(request, _body("invalid", message, detail), status=422)
        detail = [{"loc": [], "msg": exc.message, "type": "http_error"}]
        return api.create_response(
            request, _body("http_error", exc.message, detail), status=exc.status_code
        )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer unknown URLs: JSON under /api/ (what API clients parse), Django's page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found as html_not_found

    if request.path.startswith("/api/"):
        message = "Такого адреса в API нет"
        return JsonResponse(
            _body("not_found", message, [{"loc": [], "msg": message, "type": "not_found"}]),
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return html_not_found(request, exception)
