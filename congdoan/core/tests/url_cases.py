from congdoan.core.testing import UrlCase

CASES: dict[str, UrlCase] = {
    "healthz": UrlCase("public"),
    "api-schema": UrlCase("public", ok=(200,)),
    "api-docs": UrlCase("public", ok=(200,)),
}
