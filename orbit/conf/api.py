"""The REST API: DRF, JWT (simplejwt), the OpenAPI schema (drf-spectacular) and CORS."""

from datetime import timedelta

from orbit.conf.base import FRONTEND_URL, PRODUCTION, env

# --- DRF ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["orbit.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "orbit.pagination.CursorPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "orbit.filters.StrictFilterBackend",
        "orbit.filters.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "orbit.schema.AutoSchema",
    "EXCEPTION_HANDLER": "orbit.exception_handler.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["orbit.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# JSON only, whatever DEBUG is: DRF's browsable API would answer `Accept: text/html` with an HTML page on /api/,
# which the schema documents as 406 (interactive docs are at /api/docs/).

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=5)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    # Embeds a hash of the password in every token: a password change makes outstanding access tokens fail.
    "CHECK_REVOKE_TOKEN": True,
    "REVOKE_TOKEN_CLAIM": "hash_password",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Orbit API",
    "DESCRIPTION": (
        "Orbit turns client documents into structured, reviewable scopes of work.\n\n"
        'Every error answers with one envelope: `{"error": {"code", "message", "details"}}`.\n\n'
        "Authentication flows (sign up, sign in, verification, password reset, Google) are served by "
        "django-allauth headless under `/_allauth/app/v1/`; their own specification is at "
        "[/_allauth/openapi.html](/_allauth/openapi.html)."
    ),
    "VERSION": "1.0.0",
    # 3.1: nullable references are `oneOf: [{$ref}, {type: null}]`, which strict validators accept (3.0's
    # `allOf` + `nullable` is refused by them when the server sends null).
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "EXTERNAL_DOCS": {"description": "Authentication API (allauth headless)", "url": "/_allauth/openapi.html"},
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "scopes.models.Project.Status",
        "ScopeStatusEnum": "scopes.models.Scope.Status",
        "MemberRoleEnum": "workspaces.api.serializers.ROLE_CHOICES",
        "BillingCycleEnum": "billing.prices.CYCLES",
        "ActivityVerbEnum": "workspaces.models.ActivityEvent.Verb",
        "ExportStatusEnum": "exports.models.Export.Status",
        "ExportFormatEnum": "exports.models.Export.Format",
        "DocumentStatusEnum": "documents.models.Document.Status",
        "InvitationStatusEnum": "workspaces.services.invitations.INVITATION_STATUSES",
        "ActivityTargetTypeEnum": "workspaces.activity.TARGET_TYPES",
    },
    "APPEND_COMPONENTS": {},
    # drf-spectacular's default enum hook, then ours (3.1 has no `nullable`; see orbit/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "orbit.schema.nullable_as_oas31",
    ],
}

CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[] if PRODUCTION else [FRONTEND_URL])
CORS_EXPOSE_HEADERS = ["X-Request-ID", "ETag", "Retry-After"]
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "origin",
    "x-csrftoken",
    "x-requested-with",
    "x-request-id",
    "x-session-token",
    "idempotency-key",
    "if-match",
]
CORS_ALLOW_CREDENTIALS = True
